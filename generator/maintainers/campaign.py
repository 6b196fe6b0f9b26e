"""Re-verification campaigns: ask every structure whose record is due to confirm or correct it.

`passerelle campagne` writes, for each record due (verified longer ago than the
delay of `data/reverification.yaml`), a message showing the record's current facts:
an e-mail ready to send (`.eml`, RFC 5322) when the record has an address, a letter
ready to print (HTML) otherwise; and one CSV listing them all, for a mail merge and
the telephone follow-up. The campaign's start is written to `data/reverification.yaml`,
so the freshness page of the site shows how far it has gone.
"""

from __future__ import annotations

import csv
import email.policy
import io
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.records.models import check_phone
from generator.records.reverification import DEFAULT_MONTHS, FILE_NAME, Campagne
from generator.records.vocabulary import Kind
from generator.records.yamlmerge import read, set_value, write, yaml_io
from generator.site.closures import ExceptionalWeek, dated_hours
from generator.site.exports import spreadsheet_safe
from generator.site.hours import holidays_of_build, readable_week
from generator.site.model import Entry, SiteModel, SiteSettings, public_site_url
from generator.site.observatory import in_scope
from generator.site.pages import page_url, record_path
from generator.site.reports import offers_report
from generator.site.text import date_fr, phone_display

UNKNOWN = "non renseigné"
# What `passerelle campagne` writes in its folder: the list of all messages, the e-mails, the letters.
LIST_FILE, EMAILS, LETTERS = "campagne.csv", "courriels", "courriers"
WHEELCHAIR = {True: "oui", False: "non", None: UNKNOWN}
REPORT_ANCHOR = "signaler"
HEADER = (
    "Revérification des fiches. delai_mois : une fiche vérifiée il y a plus de ce nombre de mois\n"
    "est à revérifier. campagne : écrite par « passerelle campagne », suivie sur /observatoire/fraicheur/."
)


class CampaignError(Exception):
    """The campaign cannot start as asked; the message says why, in French."""


@dataclass(frozen=True)
class Sender:
    """Who sends the campaign, from the site's configuration."""

    site_name: str = ""
    site_url: str = ""
    contact_email: str = ""
    reports_online: bool = False  # the record pages offer « Signaler une erreur » (site/reports.py offers_report)
    centre_name: str = ""  # the resource centre that publishes the site
    centre_phone: str = ""  # as it is dialled in France

    @property
    def contact_lines(self) -> list[str]:
        """Who sends the message and how to reach them, one line each: what a letter gives to reply."""
        phone = f"Tél. {self.centre_phone}" if self.centre_phone else ""
        return [line for line in (self.centre_name, phone, self.contact_email) if line]


@dataclass(frozen=True)
class Message:
    entry: Entry
    facts: list[tuple[str, str]]
    page: str  # the record's page, or "" when the site has no address
    report: str  # the « signaler une erreur » part of the page, or "" when the page has none

    @property
    def by_email(self) -> bool:
        return self.entry.record.courriel is not None

    @property
    def file_name(self) -> str:
        return f"{EMAILS}/{self.entry.id}.eml" if self.by_email else f"{LETTERS}/{self.entry.id}.html"


def read_sender(config_file: Path) -> Sender:
    """Site name, address and contact of mkdocs.yml, read as plain YAML (its `!!python` tags are skipped)."""
    options, config = _site_options(config_file)
    # A local address (a preview) is never sent to a structure.
    site_url = public_site_url(str(config.get("site_url") or ""))
    contact_email = str(options.get("contact_email") or "")
    try:
        phone = check_phone(str(options["centre_phone"])) if options.get("centre_phone") else ""
    except ValueError as error:
        raise CampaignError(f"{config_file} : centre_phone : {error}") from None
    settings = SiteSettings(contact_email=contact_email, centre_phone=phone, repository_url=str(options.get("repository_url") or ""))
    return Sender(
        site_name=str(config.get("site_name") or ""),
        site_url=site_url,
        contact_email=contact_email,
        reports_online=offers_report(settings),
        centre_name=str(options.get("centre_name") or ""),
        centre_phone=phone_display(phone) if phone else "",
    )


def _site_options(config_file: Path) -> tuple[dict, dict]:
    """The passerelle plugin's options and the whole configuration; a file missing or unreadable is a CampaignError:
    without it, the messages would lose who sends them and how to answer."""
    if not config_file.is_file():
        raise CampaignError(
            f"--config-file {config_file} : fichier introuvable — indiquez la configuration du site (mkdocs.yml, dans le dossier "
            "du dépôt) : elle donne le nom de l'annuaire, son adresse et le contact du centre que disent les messages."
        )
    loader = type("ConfigLoader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("", lambda *_: None)
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=loader) or {}
    except UnicodeDecodeError:
        raise CampaignError(f"{config_file} : configuration illisible — enregistrez-la en UTF-8.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise CampaignError(f"{config_file}{where} : configuration illisible (YAML mal formé) — corrigez-la à cet endroit.") from None
    if not isinstance(config, dict):
        raise CampaignError(f"{config_file} : configuration illisible — elle doit contenir des réglages « nom: valeur ».")
    options = next((p["passerelle"] for p in config.get("plugins") or [] if isinstance(p, dict) and "passerelle" in p), None)
    return options if isinstance(options, dict) else {}, config


def due_entries(site: SiteModel, departements: list[str], types: list[Kind]) -> list[Entry]:
    """Records due for re-verification in the scope, the oldest verification first."""
    due = [e for e in site.entries.values() if site.is_stale(e.record) and in_scope(e, departements, types)]
    return sorted(due, key=lambda e: (e.record.verifie_le, e.id))


def message_for(entry: Entry, site: SiteModel, sender: Sender) -> Message:
    page = sender.site_url.rstrip("/") + "/" + page_url(record_path(entry.id)) if sender.site_url else ""
    report = f"{page}#{REPORT_ANCHOR}" if page and sender.reports_online else ""
    return Message(entry, facts(entry, site.today), page, report)


def facts(entry: Entry, today: date) -> list[tuple[str, str]]:
    """What the record says today, as the structure would read it; unknowns said so."""
    record = entry.record
    adresse = record.adresse
    address = ", ".join(filter(None, [adresse.voie, f"{adresse.code_postal or ''} {adresse.commune}".strip()])) if adresse else UNKNOWN
    hours = "\n".join(f"{day} : {spans}" for day, spans in readable_week(record.horaires, today)) if record.horaires else UNKNOWN
    dated = dated_hours(record, today, holidays_of_build(today, entry.place.departements))
    # Hours that change with the date (« Aug off »): the structure confirms the changes too.
    hours += "".join("\n" + _week_text(week) for week in dated.seasons)
    return [
        ("Nom", record.nom),
        ("Type", record.type.label),
        ("Situation", record.statut.label if record.statut else UNKNOWN),
        ("Adresse", address),
        ("Téléphone", phone_display(record.telephone) if record.telephone else UNKNOWN),
        ("Courriel", record.courriel or UNKNOWN),
        ("Site web", record.site_web or UNKNOWN),
        ("Horaires", hours),
        # As the record page shows them: the closures and exceptional hours not over.
        ("Fermetures et horaires exceptionnels", "\n".join([*dated.closures, *map(_week_text, dated.exceptional)]) or UNKNOWN),
        # Said so that the structure fills it in: the finder lists apart the places that do not say (« Accessible en fauteuil roulant »).
        ("Accessible en fauteuil roulant", WHEELCHAIR[record.pmr]),
        ("Publics accueillis", ", ".join(p.label for p in record.publics) or UNKNOWN),
        ("Conditions d'accès", ", ".join(a.label for a in record.acces) or UNKNOWN),
    ]


def _week_text(week: ExceptionalWeek) -> str:
    """« Horaires exceptionnels du … : », then its days, one a line."""
    return week.heading + (" :" if week.days else "") + "".join(f"\n  {day} : {spans}" for day, spans in week.days)


_templates = Environment(
    loader=PackageLoader("generator", "skeletons"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def email_message(message: Message, sender: Sender, site: SiteModel, now: datetime) -> bytes:
    """An e-mail ready to send (RFC 5322, UTF-8), opened as a draft by mail programs (X-Unsent)."""
    record = message.entry.record
    mail = EmailMessage(policy=email.policy.SMTP)
    if sender.contact_email:
        mail["From"] = Address(sender.site_name or "", addr_spec=sender.contact_email)
    mail["To"] = Address(record.nom, addr_spec=record.courriel)
    mail["Subject"] = f"Votre fiche dans l'annuaire{' ' + sender.site_name if sender.site_name else ''} : est-elle à jour ?"
    mail["Date"] = format_datetime(now)
    if sender.contact_email:  # else the sending program names the message
        mail["Message-ID"] = make_msgid(idstring=record.id, domain=sender.contact_email.rpartition("@")[2])
    mail["X-Unsent"] = "1"
    body = _templates.get_template("campagne-courriel.txt").render(**_context(message, sender, site))
    mail.set_content(body, charset="utf-8")
    return mail.as_bytes()


def letter(message: Message, sender: Sender, site: SiteModel) -> str:
    return _templates.get_template("campagne-courrier.html").render(**_context(message, sender, site))


def _context(message: Message, sender: Sender, site: SiteModel) -> dict:
    record = message.entry.record
    return {
        "message": message,
        "record": record,
        "sender": sender,
        "verified": date_fr(record.verifie_le),
        "today": date_fr(site.today),
        "reply": reply_ways(message, sender),
    }


def reply_ways(message: Message, sender: Sender) -> str:
    """How a letter's reader may answer: « par courrier, par téléphone au …, par courriel à … ou en ligne … »."""
    ways = ["par courrier"]
    if sender.centre_phone:
        ways.append(f"par téléphone au {sender.centre_phone}")
    if sender.contact_email:
        ways.append(f"par courriel à {sender.contact_email}")
    if message.report:
        ways.append(f"en ligne depuis votre fiche : {message.report}")
    return ways[0] if len(ways) == 1 else f"{', '.join(ways[:-1])} ou {ways[-1]}"


def campaign_csv(messages: list[Message]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "nom", "type", "departements", "commune", "telephone", "courriel", "verifie_le", "envoi", "message", "page"])
    for message in messages:
        entry = message.entry
        record = entry.record
        row = [
            entry.id,
            record.nom,
            record.type.value,
            " ".join(entry.place.departements),
            entry.place.commune.nom if entry.place.commune else "",
            phone_display(record.telephone) if record.telephone else "",
            record.courriel or "",
            record.verifie_le.isoformat(),
            "courriel" if message.by_email else "courrier",
            message.file_name,
            message.page,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()


def put_aside(out_dir: Path) -> Path | None:
    """Move the files of the round written before in `out_dir` into a folder of their own, named after when they were
    written; that folder, or None when there was none.

    A reminder round is written in the same folder. Over the previous one, its messages would sit beside those of
    structures that have confirmed since, ready to be sent again, and the notes taken in campagne.csv during the
    telephone follow-up would be written over.
    """
    previous = [out_dir / name for name in (LIST_FILE, EMAILS, LETTERS) if (out_dir / name).exists()]
    if not previous:
        return None
    written = datetime.fromtimestamp(max(path.stat().st_mtime for path in previous))
    name = f"envoi-du-{written:%Y-%m-%d-%Hh%Mm%Ss}"
    aside, count = out_dir / name, 1
    while aside.exists():  # two rounds written in the same second
        count += 1
        aside = out_dir / f"{name}-{count}"
    aside.mkdir()
    for path in previous:
        path.rename(aside / path.name)
    return aside


def write_campaign(site: SiteModel, entries: list[Entry], sender: Sender, out_dir: Path, now: datetime) -> list[Message]:
    messages = [message_for(entry, site, sender) for entry in entries]
    for message in messages:
        path = out_dir / message.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        if message.by_email:
            path.write_bytes(email_message(message, sender, site, now))
        else:
            path.write_text(letter(message, sender, site), encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    # UTF-8 with a byte order mark: spreadsheets then read the accents right.
    (out_dir / LIST_FILE).write_text(campaign_csv(messages), encoding="utf-8-sig")
    return messages


def campaign_under_way(current: Campagne | None, departements: list[str], types: list[Kind], today: date, new: bool) -> Campagne:
    """The campaign under way: the one recorded if it covers the same scope (a reminder round), else a new one
    starting today. Nothing is written: a campaign is recorded once its messages are (record_start)."""
    scope = (sorted(departements), sorted(types))
    if current is not None and not new:
        if (sorted(current.departements), sorted(current.types)) == scope:
            return current
        raise CampaignError(
            f"une campagne est en cours depuis le {current.debut.isoformat()} pour {describe_scope(current.departements, current.types)} : "
            "relancez-la avec les mêmes --departement et --type, ou ajoutez --nouvelle pour en commencer une autre."
        )
    return Campagne(debut=today, departements=scope[0], types=scope[1])


def record_start(data_dir: Path, campagne: Campagne) -> None:
    """Write the campaign to data/reverification.yaml (comments kept)."""
    path = data_dir / FILE_NAME
    yaml = yaml_io()
    document = read(path, yaml) if path.is_file() else None
    if not isinstance(document, CommentedMap):
        document = CommentedMap([("delai_mois", DEFAULT_MONTHS)])
        document.yaml_set_start_comment(HEADER)
    value = CommentedMap([("debut", campagne.debut)])
    if campagne.departements:
        value["departements"] = _flow(campagne.departements)
    if campagne.types:
        value["types"] = _flow([kind.value for kind in campagne.types])
    set_value(document, "campagne", value)
    write(path, document, yaml)


def describe_scope(departements: list[str], types: list[Kind]) -> str:
    parts = [f"les types {', '.join(k.value for k in types)}" if types else "tous les types"]
    parts.append(f"les départements {', '.join(departements)}" if departements else "tous les départements")
    return " et ".join(parts)


def _flow(items: list[str]) -> CommentedSeq:
    sequence = CommentedSeq(items)
    sequence.fa.set_flow_style()
    return sequence
