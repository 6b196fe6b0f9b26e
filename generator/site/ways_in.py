"""How to reach a structure whose record gives no phone, e-mail or website.

A record page must never leave a visitor without a next step. When the record
has no contact details of its own, its page lists other ways in, each with
contact details, in this order:

1. its partners (named by either record), e.g. Clubhouse France for a Clubhouse;
2. the resource centres (`ressource` of category `centre_ressource`) whose
   territory covers the structure's place, e.g. Céapsy for Île-de-France;
3. the resource centre that publishes the site, when its settings name it and
   give a phone or an e-mail (`centre_name`, `centre_phone`, `contact_email`);
4. only when none of these exists: the networks the site's settings name for
   its kind (`coverage_networks`: the GEM networks for a GEM); failing those, the
   national networks that other records of the same kind name as partners, since
   the data links them to that kind of structure; failing those, the national resources
   for the same public; failing those, the other national resources of the same
   category (another national network, for a network without contact details).

If even that finds nothing, the page says so and offers the finder, for other
structures of the same kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.records.models import Clsm, Record
from generator.records.vocabulary import CategorieRessource, Kind
from generator.site.model import Entry, SettingError, SiteModel
from generator.site.text import phone_display


@dataclass(frozen=True)
class Contact:
    """One link to reach someone: `tel:`, `mailto:` or a website."""

    href: str
    text: str


def contacts(phone: str | None, email: str | None, website: str | None = None) -> list[Contact]:
    found = []
    if phone:
        found.append(Contact(f"tel:{phone}", phone_display(phone)))
    if email:
        found.append(Contact(f"mailto:{email}", email))
    if website:
        found.append(Contact(website, website))
    return found


def record_contacts(record: Record) -> list[Contact]:
    return contacts(record.telephone, record.courriel or _generic_email(record), record.site_web)


def has_contact(record: Record) -> bool:
    # Asked of every record and its partners for its page and its easy-read page: the fields are
    # looked at, not formatted into contacts (0.3 s less a pass at 20,000 records).
    return bool(record.telephone or record.courriel or _generic_email(record) or record.site_web)


def _generic_email(record: Record) -> str | None:
    # Only a CLSM has one; asking another record for it (getattr with a default) goes through
    # pydantic's slow path for missing attributes.
    return record.contact_generique if isinstance(record, Clsm) else None


@dataclass(frozen=True)
class WayIn:
    """Another record with contact details, and why it can help."""

    entry: Entry
    reason: str

    @property
    def contacts(self) -> list[Contact]:
        return record_contacts(self.entry.record)


@dataclass(frozen=True)
class PublishingCentre:
    name: str
    contacts: list[Contact]


@dataclass(frozen=True)
class WaysIn:
    through: list[WayIn] = field(default_factory=list)
    centre: PublishingCentre | None = None

    def __bool__(self) -> bool:
        return bool(self.through or self.centre)


class WaysInFinder:
    """Finds the ways in of any record of a site; what all records share is gathered once."""

    def __init__(self, site: SiteModel):
        self.site = site
        self.centres = reachable_centres(site)
        # The networks the resource centre names for each kind (coverage_networks), then those that records
        # of the kind name as partners.
        self.chosen = reachable_networks(site)
        self.networks = _networks_by_kind(site)
        self.national = [
            e for e in site.by_kind(Kind.RESSOURCE) if e.record.territoire and e.record.territoire.national and has_contact(e.record)
        ]
        settings = site.settings
        centre_contacts = contacts(settings.centre_phone, settings.contact_email)
        self.publishing = PublishingCentre(settings.centre_name, centre_contacts) if settings.centre_name and centre_contacts else None

    def of(self, entry: Entry) -> WaysIn | None:
        """The ways to reach `entry`'s structure, or None when its record has contact details."""
        if has_contact(entry.record):
            return None
        found: dict[str, WayIn] = {}
        for partner in self.site.partners.get(entry.id, []):
            if has_contact(partner.record):
                found.setdefault(partner.id, WayIn(partner, "partenaire de la structure"))
        for centre in self.centres:
            place = entry.place
            if serves(centre, place.regions, place.departements, place.commune.insee if place.commune else None):
                found.setdefault(centre.id, WayIn(centre, "centre ressource de son territoire"))
        if not found and self.publishing is None:
            kind = entry.record.type.label
            for network in self.chosen.get(entry.record.type.value, []):
                found.setdefault(network.id, WayIn(network, f"{why_to_ask(network)}, pour les structures de type « {kind} »"))
        if not found and self.publishing is None:
            for network in self.networks.get(entry.record.type, []):
                found.setdefault(network.id, WayIn(network, f"réseau national, partenaire d'autres structures de type « {kind} »"))
        if not found and self.publishing is None:
            publics = set(entry.record.publics)
            for network in self.national:
                if not publics or publics & set(network.record.publics):
                    found.setdefault(network.id, WayIn(network, "réseau national pour le même public"))
        found.pop(entry.id, None)
        if not found and self.publishing is None:
            category = getattr(entry.record, "categorie", None)
            for network in self.national:
                if category is not None and getattr(network.record, "categorie", None) == category and network.id != entry.id:
                    found.setdefault(network.id, WayIn(network, f"autre ressource nationale de type « {category.label} »"))
        return WaysIn(list(found.values()), self.publishing)


def serves(resource: Entry, regions: Iterable[str], departements: Iterable[str], commune: str | None = None) -> bool:
    """Whether the resource's territory takes in one of these régions, départements or this commune (INSEE codes)."""
    territoire = resource.record.territoire
    if territoire is None:
        return False
    return (
        territoire.national
        or not set(territoire.regions).isdisjoint(regions)
        or not set(territoire.departements).isdisjoint(departements)
        or (commune is not None and commune in territoire.communes)
    )


def _networks_by_kind(site: SiteModel) -> dict[Kind, list[Entry]]:
    """National resources with contact details, by the kinds of the records that name them as partners."""
    networks: dict[Kind, dict[str, Entry]] = defaultdict(dict)
    for entry in site.entries.values():
        for partner_id in entry.record.partenaires:
            partner = site.entries.get(partner_id)
            if partner and partner.record.territoire and partner.record.territoire.national and has_contact(partner.record):
                networks[entry.record.type][partner.id] = partner
    return {kind: list(found.values()) for kind, found in networks.items()}


def why_to_ask(entry: Entry) -> str:
    """Why a page names a record as one to ask (`coverage_networks`, a resource centre): what it is, in a few words."""
    categorie = getattr(entry.record, "categorie", None)
    if categorie == CategorieRessource.RESEAU_NATIONAL:
        return "réseau national"
    if categorie == CategorieRessource.CENTRE_RESSOURCE:
        return "centre ressource"
    territoire = entry.record.territoire
    return "ressource nationale" if territoire is not None and territoire.national else "ressource"


def coverage_networks(site: SiteModel) -> dict[str, list[Entry]]:
    """The records of the `coverage_networks` setting, by kind; unknown kinds or records are errors."""
    problems: list[str] = []
    kinds = {kind.value for kind in Kind}
    for kind, ids in site.settings.coverage_networks.items():
        if kind not in kinds:
            problems.append(f"coverage_networks : type inconnu « {kind} » — types possibles : {', '.join(sorted(kinds))}")
        problems += [_missing_network(site, kind, record_id) for record_id in ids if record_id not in site.entries]
    if problems:
        raise SettingError(problems)
    return {kind: [site.entries[record_id] for record_id in ids] for kind, ids in site.settings.coverage_networks.items()}


def reachable_centres(site: SiteModel) -> list[Entry]:
    """The resource centres of the site that give a way to reach them."""
    return [
        e
        for e in site.by_kind(Kind.RESSOURCE)
        if getattr(e.record, "categorie", None) == CategorieRessource.CENTRE_RESSOURCE and has_contact(e.record)
    ]


def reachable_networks(site: SiteModel) -> dict[str, list[Entry]]:
    """The records of `coverage_networks` that give a way to reach them: the others would send a visitor
    to one more page without a contact."""
    return {kind: [e for e in entries if has_contact(e.record)] for kind, entries in coverage_networks(site).items()}


def _missing_network(site: SiteModel, kind: str, record_id: str) -> str:
    if record_id in site.catalogue.records:
        return f"coverage_networks.{kind} : la fiche « {record_id} » n'est pas sur ce site, limité à {site.scope_name} (option regions)"
    return f"coverage_networks.{kind} : fiche inconnue « {record_id} » — indiquez l'identifiant d'une fiche : le nom de son fichier, sans « .yaml »"
