"""How a visitor reports a mistake on a record page: messages prepared as links.

Reporting needs no account, no form and no JavaScript: each reason is a `mailto:`
link whose subject and body are already written; the people who keep the data may
also open a ticket or edit the record's file on the data's repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from generator.records.models import Record
from generator.site.model import SiteSettings

# (what the subject names, what the visitor reads)
REASONS = [
    ("adresse ou horaires", "L'adresse ou les horaires ne sont plus à jour"),
    ("contact", "Le téléphone, le courriel ou le site web ne marche pas"),
    ("fermeture", "La structure a fermé"),
    ("public ou accès", "Le public accueilli ou les conditions d'accès ont changé"),
    ("autre", "Autre chose"),
]


# E-mail bodies break lines with CRLF (RFC 6068).
MAIL_LINE_BREAK = "\r\n"


@dataclass(frozen=True)
class ReportLink:
    label: str
    href: str


@dataclass(frozen=True)
class RecordReport:
    sheet_url: str  # the record's public address; "" when the site has none (site_url)
    by_mail: list[ReportLink]  # one per reason; none without the site's contact e-mail
    new_issue: str  # a ticket on the data's repository; "" without a repository
    edit: str  # the record's file on the repository; "" without a repository
    offered: bool  # whether the page has its « Signaler une erreur » fold (offers_report)


def offers_report(settings: SiteSettings) -> bool:
    """Whether record pages offer to report a mistake: by the centre's e-mail, its phone or the data's
    repository. Without any, the fold would open on no way at all, and none is shown."""
    return bool(settings.contact_email or settings.centre_phone or settings.repository_url)


def record_report(record: Record, settings: SiteSettings) -> RecordReport:
    sheet_url = f"{settings.site_url.rstrip('/')}/structures/{record.id}/" if settings.site_url else ""
    named = [f"Fiche : {record.nom} ({record.id})", f"Adresse de la fiche : {sheet_url}" if sheet_url else ""]
    by_mail = []
    if settings.contact_email:
        for topic, label in REASONS:
            body = [
                *named,
                f"Ce qui ne va pas : {label}",
                "",
                "La bonne information :",
                "",
                "",
                "D'où vient-elle (site de la structure, affiche, appel…) :",
                "",
            ]
            query = f"subject={_quoted(f'Fiche {record.id} : {topic}')}&body={_quoted(MAIL_LINE_BREAK.join(body))}"
            by_mail.append(ReportLink(label, f"mailto:{settings.contact_email}?{query}"))
    repository = settings.repository_url.rstrip("/")
    if not repository:
        return RecordReport(sheet_url, by_mail, "", "", offers_report(settings))
    issue_body = [*named, "", "Ce qui ne va pas, et la bonne information :", "", "D'où vient-elle :"]
    return RecordReport(
        sheet_url,
        by_mail,
        new_issue=f"{repository}/issues/new?title={_quoted(f'Fiche {record.id} : mise à jour')}&body={_quoted(chr(10).join(issue_body))}",
        edit=f"{repository}/edit/main/{settings.data_path_in_repository}/{record.type.value}/{record.id}.yaml",
        offered=True,
    )


def _quoted(text: str) -> str:
    """`text` in a URL's query, as Jinja's `urlencode` wrote it."""
    return quote(text, safe="/")
