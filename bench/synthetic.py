"""Synthetic records for benchmarks and tests — never for `data/`.

Every record is marked as synthetic in its name, description and source, and is
placed in a real commune of the gazetteer so that geography, maps and the
finder do real work. Generation is deterministic for a given seed and day.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from generator import clock
from generator.geo.gazetteer import Gazetteer
from generator.records.vocabulary import CategorieEsms, CategorieRessource, Kind

# Roughly the national proportions: ESMS dominate, then GEM and CLSM.
KIND_WEIGHTS = {Kind.ESMS: 80, Kind.GEM: 10, Kind.CLSM: 5, Kind.EMPLOYEUR: 2, Kind.RESSOURCE: 2, Kind.COLLECTIF: 1}
DESCRIPTION = (
    "Fiche SYNTHÉTIQUE générée pour les mesures de performance : cette structure n'existe pas. "
    "Elle occupe la place d'une vraie présentation de quelques lignes, avec ses horaires, son public "
    "et ses conditions d'accès, pour que les pages aient une taille réaliste."
)
# Records are verified this many days before the day they are written (the build's, clock.today()). A fixed
# day would fall due for re-verification a year later (data/reverification.yaml) and change what every page
# says as the calendar turns: the tests would fail, and the benchmarks measure other pages, from that day on.
VERIFIED_DAYS_AGO = 30
# A verification long past: due for re-verification whatever the day.
LONG_AGO = "2020-01-15"


def write_records(data_dir: Path, n: int, seed: int = 0) -> list[Path]:
    """Write `n` synthetic records under `data_dir/<kind>/`; return their paths."""
    rng = random.Random(seed)
    communes = [c for c in Gazetteer.load().communes() if c.codes_postaux]
    weights = [max(c.population, 50) for c in communes]
    kinds = list(KIND_WEIGHTS)
    paths = []
    verified = verified_recently()
    for index, (kind, commune) in enumerate(
        zip(rng.choices(kinds, [KIND_WEIGHTS[k] for k in kinds], k=n), rng.choices(communes, weights, k=n), strict=True)
    ):
        record_id = f"synthetique-{kind.value}-{index:06d}"
        path = data_dir / kind.value / f"{record_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_record(kind, index, commune, rng, verified), encoding="utf-8")
        paths.append(path)
    return paths


def _record(kind: Kind, index: int, commune, rng: random.Random, verified: str) -> str:
    lines = [
        f"type: {kind.value}",
        f'nom: "SYNTHÉTIQUE {kind.label} n°{index}"',
        f'description: "{DESCRIPTION}"',
        "statut: actif",
        "adresse:",
        f'  voie: "{rng.randint(1, 120)} rue de l\'Exemple"',
        f'  code_postal: "{commune.codes_postaux[0]}"',
        f'  commune: "{commune.nom}"',
        f'  code_insee: "{commune.insee}"',
        # A number ARCEP keeps for fiction, which nobody answers; most real records have one (FINESS lists it).
        f'telephone: "01 99 00 {index % 100:02d} {index // 100 % 100:02d}"',
        'horaires: "Mo-Fr 09:00-17:00"',
        "publics: [troubles_psychiques]",
    ]
    if index % 2:
        lines.append(f'site_web: "https://example.org/{index}"')  # a domain reserved for examples
    if kind == Kind.ESMS:
        lines += [f"categorie: {rng.choice(list(CategorieEsms)).value}", "acces: [notification_cdaph]", f"capacite: {rng.randint(10, 90)}"]
    elif kind == Kind.RESSOURCE:
        lines.append(f"categorie: {rng.choice(list(CategorieRessource)).value}")
    elif kind == Kind.EMPLOYEUR:
        lines += ["type_employeur: entreprise", "engagements: [stages, recrutement]"]
    elif kind == Kind.CLSM:
        lines += ["territoire:", f'  communes: ["{commune.insee}"]', "instances: [assemblee_pleniere, comite_de_pilotage]"]
    else:
        lines.append("acces: [sans_orientation, adhesion]")
    lines += [
        "sources:",
        '  - titre: "Donnée synthétique (bench/synthetic.py)"',
        '    document: "Générée pour les tests et les mesures ; ne décrit aucune structure réelle."',
        f'    date: "{verified}"',
        f"verifie_le: {verified}",
    ]
    return "\n".join(lines) + "\n"


# --- Every field and every vocabulary value -----------------------------------------------
# A small set of records that, together, fill every field of every kind and use every
# value of every vocabulary, with the opening hours that read differently (several
# intervals a day, a night opening, unknown slots, always open). Pages built from it
# show every sentence a generator can write (tests/test_easy_read.py checks them all).

SOURCE = {"titre": "Donnée synthétique (bench/synthetic.py)", "document": "Générée pour les tests ; ne décrit aucune structure réelle."}
HOURS = (
    "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00",
    "Mo 09:00-10:00,11:00-12:00,14:00-16:00",
    "Mo-Fr 10:30-12:30,14:30-17:30",
    "Tu 14:00-18:00; We unknown",
    "Sa 22:00-02:00",
    "24/7",
    "off",
)


def every_value_records() -> list[dict]:
    """Records (as YAML data, `id` and `type` included) covering every field and vocabulary value."""
    from generator.records.vocabulary import (
        Acces,
        Engagement,
        InstallationCollectif,
        InstanceClsm,
        ParticipationClsm,
        Public,
        Statut,
        TypeEmployeur,
    )

    fresh_on = verified_recently()

    def record(kind: Kind, index: int, *layers: dict) -> dict:
        data = {
            "id": f"synthetique-{kind.value}-{index}",
            "type": kind.value,
            "nom": f"SYNTHÉTIQUE {kind.label} {index}",
            "adresse": {"voie": "12 rue de l'Exemple", "code_postal": "92260", "commune": "Fontenay-aux-Roses", "code_insee": "92032"},
            "sources": [SOURCE],
            "verifie_le": fresh_on,
        }
        for layer in layers:
            data.update(layer)
        # A verification is backed by a dated source (records/models.py): the sources say when.
        data["sources"] = [{**source, "date": data["verifie_le"]} for source in data["sources"]]
        return {key: value for key, value in data.items() if value is not None}

    phone = {"telephone": "01 23 45 67 89"}
    full = {
        "description": DESCRIPTION,
        "statut": "actif",
        "partenaires": ["synthetique-ressource-4"],
        "coordonnees": {"lat": 48.7893, "lon": 2.2875, "precision": "adresse"},
        **phone,
        "courriel": "contact@exemple.fr",
        "site_web": "https://exemple.fr/",
        "horaires": HOURS[0],
        "publics": [p.value for p in Public],
        "acces": [a.value for a in Acces],
        "accessibilite": {"pmr": True, "acceslibre": "https://acceslibre.beta.gouv.fr/"},
        "territoire": {"departements": ["92"]},
        "sources": [{**SOURCE, "url": "https://exemple.fr/source", "date": "2025-06"}],
        # Dated from today, so that pages built today show them: a closure, exceptional hours
        # listed day by day (a short period) and as a week (a long one).
        "fermetures": [{"du": _in_days(10), "au": _in_days(20), "motif": "travaux"}, {"du": _in_days(30), "au": _in_days(30)}],
        "horaires_exceptionnels": [
            {"du": _in_days(40), "au": _in_days(43), "horaires": "Mo-Fr 10:00-12:00; PH off", "motif": "vacances"},
            {"du": _in_days(50), "au": _in_days(90), "horaires": "Tu 14:00-18:00"},
        ],
    }
    gem = {
        "parrain": "Association marraine",
        "gestionnaire": "Organisme gestionnaire",
        "date_creation": "2011-03",
        "ouverture_hebdomadaire": 35,
        "nombre_adherents": {"nombre": 40, "annee": 2024},
    }
    records = [
        record(Kind.GEM, 0, full, gem),
        # Nothing but what a record must have: the commune only, no street.
        record(Kind.GEM, 1, {"adresse": {"code_postal": "75019", "commune": "Paris"}}),
        # Information older than a year, with and without a phone to call.
        record(Kind.GEM, 2, {"verifie_le": LONG_AGO, "telephone": "0612345678", "accessibilite": {"pmr": False}}),
        record(Kind.GEM, 3, {"verifie_le": LONG_AGO, "coordonnees": {"lat": 48.79, "lon": 2.29, "precision": "commune"}}),
    ]
    records += [record(Kind.GEM, 10 + i, phone, {"statut": statut.value}) for i, statut in enumerate(Statut)]
    records += [record(Kind.GEM, 20 + i, phone if i % 2 else {}, {"horaires": hours}) for i, hours in enumerate(HOURS)]
    records += [record(Kind.GEM, 30 + i, {"publics": [public.value]}) for i, public in enumerate(Public)]
    # Hours that say what happens on public holidays.
    records.append(record(Kind.GEM, 40, phone, {"horaires": "Mo-Fr 09:00-17:00; PH off"}))
    # Hours that change with the date: closed every August.
    records.append(record(Kind.GEM, 41, phone, {"horaires": "Mo-Fr 09:00-17:00; Aug off"}))
    collectif = {
        "date_ouverture": "2017",
        "file_active": {"nombre": 25, "annee": 2023},
        "salaries_etp": 2.5,
        "plateforme_emploi_accompagne": True,
    }
    records += [
        record(Kind.COLLECTIF, i, full, collectif, {"installation": installation.value})
        for i, installation in enumerate(InstallationCollectif)
    ]
    clsm = {
        "porteur": "Ville de l'Exemple",
        "date_creation": "2015",
        "instances": [instance.value for instance in InstanceClsm],
        "contact_generique": "clsm@exemple.fr",
    }
    territories = ({"communes": ["92032", "92002"]}, {"departements": ["92", "93"]}, {"regions": ["11", "53"]})
    records += [
        record(
            Kind.CLSM,
            i,
            full,
            clsm,
            {"participation": participation.value, "territoire": territoire, "courriel": "contact@exemple.fr" if i else None},
        )
        for i, (participation, territoire) in enumerate(zip(ParticipationClsm, territories, strict=True))
    ]
    national = {"adresse": None, "territoire": {"national": True}}
    nationwide = (CategorieRessource.RESEAU_NATIONAL, CategorieRessource.ASSOCIATION)
    records += [
        record(
            Kind.ESMS,
            i,
            {**full, "acces": None} if i % 2 else {"acces": [Acces.NOTIFICATION_CDAPH.value] if i else None},
            {
                "categorie": categorie.value,
                "finess": _with_luhn_key(f"92000{i:03d}"),
                "gestionnaire": "Association gestionnaire",
                "capacite": 30,
                "orientation_cdaph": bool(i % 3),
            },
        )
        for i, categorie in enumerate(CategorieEsms)
    ]
    records += [
        record(
            Kind.EMPLOYEUR,
            i,
            full if i % 2 else {},
            {
                "type_employeur": type_employeur.value,
                "secteur": "Restauration",
                "siret": _with_luhn_key(f"1234567800{i:03d}"),
                "engagements": [engagement.value for engagement in Engagement],
            },
        )
        for i, type_employeur in enumerate(TypeEmployeur)
    ]
    records += [
        # National networks and associations without a place; the other resources with one.
        record(Kind.RESSOURCE, i, national if categorie in nationwide else full, {"categorie": categorie.value})
        for i, categorie in enumerate(CategorieRessource)
    ]
    return records


def _in_days(days: int) -> str:
    return (clock.today() + timedelta(days=days)).isoformat()


def verified_recently() -> str:
    """A day of verification VERIFIED_DAYS_AGO before the build's: current, whatever day it is."""
    return _in_days(-VERIFIED_DAYS_AGO)


def write_every_value_records(data_dir: Path) -> list[Path]:
    """Write `every_value_records()` under `data_dir/<kind>/<id>.yaml`; return their paths."""
    import yaml

    paths = []
    for data in every_value_records():
        fields = {key: value for key, value in data.items() if key != "id"}
        path = data_dir / data["type"] / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(fields, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def _with_luhn_key(digits: str) -> str:
    """`digits` followed by the Luhn check digit that FINESS and SIRET numbers end with."""
    for key in "0123456789":
        total = 0
        for position, char in enumerate(reversed(digits + key)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits + key
    raise AssertionError("unreachable: one key of ten fits")
