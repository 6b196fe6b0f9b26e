"""What every import of an official source needs: its report, addresses and phone
numbers written so that the records load, and a check of each written record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import phonenumbers
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.catalogue import check_record_file
from generator.geo.gazetteer import Commune, Gazetteer, normalize
from generator.problems import Problem
from generator.records.models import check_phone
from generator.records.vocabulary import Kind
from generator.records.yamlmerge import set_value
from generator.site.text import phone_display

PHONE_REGIONS = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "975": "PM", "976": "YT", "977": "BL", "978": "MF"}


LISTED = 20
"""Record ids the summary lists under a note; with thousands of records, the rest are counted."""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """Record id → its `nom`, for the closed records the summary names."""
    noted: dict[str, list[str]] = field(default_factory=dict)
    """Note → the ids of the records it is about, when the importer gave them (`note`)."""

    def note(self, reason: str, record: str) -> None:
        """Count a note about one record, and keep its id so that staff can find it."""
        self.notes[reason] += 1
        self.noted.setdefault(reason, []).append(record)

    def summary(self) -> str:
        lines = [
            f"{len(self.added)} ajoutée(s), {len(self.updated)} mise(s) à jour, {len(self.closed)} fermée(s), "
            f"{len(self.unchanged)} inchangée(s), {sum(self.skipped.values())} ignorée(s)."
        ]
        # Every closure is named: each one changes what the site says of a structure.
        lines += [f"  fermée : {record}" + (f" « {self.names[record]} »" if record in self.names else "") for record in self.closed]
        lines += [f"  ignorée(s) : {count} — {reason}" for reason, count in sorted(self.skipped.items())]
        for reason, count in sorted(self.notes.items()):
            lines.append(f"  note : {count} — {reason}")
            if reason in self.noted:
                lines.append(f"    {listed(self.noted[reason])}")
        return "\n".join(lines)


def listed(records: list[str]) -> str:
    """« a, b, c », or the first LISTED of them « et N autre(s) »."""
    shown = ", ".join(records[:LISTED])
    return shown if len(records) <= LISTED else f"{shown} et {len(records) - LISTED} autre(s)"


def departement_of(insee: str) -> str:
    """Département of an INSEE commune code: three characters overseas, two elsewhere."""
    return insee[:3] if insee[:2] in ("97", "98") else insee[:2]


def address(
    voie: str | None, code_postal: str | None, code_insee: str | None, localite: str, gazetteer: Gazetteer
) -> tuple[dict[str, Any] | None, Commune | None, str]:
    """A record's address written so that places.py finds the same commune: (address, commune, note).

    A postcode that does not fit the commune (CEDEX codes, old codes) is left out
    and the commune kept by its INSEE code, rather than losing the structure.
    Without a commune the gazetteer knows, the address is None and the note says why.
    """
    commune = gazetteer.commune(code_insee) if code_insee else None
    street = {"voie": voie} if voie else {}
    if code_postal:
        parent = gazetteer.commune(commune.parent) if commune and commune.parent else None
        name = (parent or commune).nom if commune else localite
        found = gazetteer.match(code_postal, name) if name else None
        if found is not None and (commune is None or code_insee in (found.insee, found.parent)):
            code = code_insee if commune else found.insee
            return (
                {
                    **street,
                    "code_postal": DoubleQuotedScalarString(code_postal),
                    "commune": name,
                    "code_insee": DoubleQuotedScalarString(code),
                },
                found,
                "",
            )
    if commune is not None:
        note = "code postal absent ou ne correspondant pas à la commune : commune gardée par son code INSEE" if code_postal else ""
        return {**street, "commune": commune.nom, "code_insee": DoubleQuotedScalarString(commune.insee)}, commune, note
    where = " ".join(part for part in (code_postal, localite) if part)
    return None, None, f"commune introuvable dans le référentiel (code INSEE {code_insee or '?'}{', ' + where if where else ''})"


def phone(text: str, departement: str) -> str | None:
    """The number as people write it (as dialled in France, overseas included: « 0590 82 19 63 »),
    or None if it is not a valid number."""
    try:
        number = phonenumbers.parse(text, PHONE_REGIONS.get(departement, "FR"))
        if not phonenumbers.is_valid_number(number):
            return None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        written = phone_display(e164)
        if check_phone(written) != e164:  # the records' own rule: what is written must load as this number
            written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            check_phone(written)
    except (phonenumbers.NumberParseException, ValueError):
        return None
    return DoubleQuotedScalarString(written)


def why_invalid(problems: list[Problem]) -> str | None:
    """The first reason a written record would not load, short enough to count alike ones, or None."""
    if not problems:
        return None
    first = min(problems)
    reason = f"{first.field} : {first.message}" if first.field else first.message
    return f"fiche invalide ({reason}{f' — {first.hint}' if first.hint else ''})"


def record_problems(gazetteer: Gazetteer) -> Callable[[Path], list[Problem]]:
    """What `passerelle validate` would say of one written record file (`data/<kind>/<id>.yaml`)."""
    return lambda path: check_record_file(path, Kind(path.parent.name), path.parent.parent, gazetteer)


def parse_codes(values: list[str] | None) -> list[str] | None:
    """`--categories 246,445 --categories 446` → ['246', '445', '446']."""
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def record_date(value: Any) -> date | None:
    """A record's date as YAML reads it (a date) or as a person may quote it ("2026-11-20"); None if unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def verified_after(document: Mapping[str, Any], day: date) -> bool:
    """Whether a person verified the record after `day`, the source's date: what they confirmed is newer than the source."""
    verified = record_date(document.get("verifie_le"))
    return verified is not None and verified > day


def date_verification(document: Any, day: date, order: tuple[str, ...]) -> bool:
    """Date the record's verification from the source of `day`, never back to an older date; whether it changed."""
    verified = record_date(document.get("verifie_le"))
    if verified is not None and verified >= day:
        return False
    return set_value(document, "verifie_le", day, order)


def departement_codes(values: Iterable[str] | None, gazetteer: Gazetteer, error: type[Exception]) -> set[str] | None:
    """The départements an import is limited to (`--departements`), as the gazetteer writes them; None: all.
    A code it does not know raises `error` before anything is imported: it would select nothing, and the
    import would look like one of an empty file."""
    if not values:
        return None
    codes = set()
    for value in values:
        found = gazetteer.departement(value)
        if found is None:
            raise error(
                f"--departements : « {value} » n'est pas un code de département{_departement_hint(value, gazetteer)} ; "
                "écrivez les codes séparés par des virgules, ex. --departements 92,93 (2A et 2B pour la Corse, "
                "971 pour la Guadeloupe) ; rien n'a été importé"
            )
        codes.add(found.code)
    return codes


def _departement_hint(value: str, gazetteer: Gazetteer) -> str:
    """« (le code de Hauts-de-Seine est 92) » for a name, « (vouliez-vous écrire 92 …) » for a code with a leading zero."""
    by_name = next((d for d in gazetteer.departements() if normalize(d.nom) == normalize(value)), None)
    if by_name is not None:
        return f" (le code de {by_name.nom} est {by_name.code})"
    shorter = gazetteer.departement(value.lstrip("0")) if value.startswith("0") else None
    return f" (vouliez-vous écrire {shorter.code}, {shorter.nom} ?)" if shorter else ""
