"""The site model: the validated catalogue arranged the way pages need it.

Everything the pages show is computed here once (sections, territories,
partnerships in both directions), so templates only display.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from generator import clock
from generator.catalogue import Catalogue
from generator.geo.gazetteer import Departement, Gazetteer, Region, normalize
from generator.geo.places import Place
from generator.records.models import Record, Territoire
from generator.records.vocabulary import Kind, Statut
from generator.site.glossary import Term, load_terms

if TYPE_CHECKING:
    from generator.site.orientation import Tree

# Beyond this many entries a list page shows counts per territory instead: a national
# directory has tens of thousands of ESMS, and a 40,000-line page helps nobody.
LIST_LIMIT = 200


@dataclass(frozen=True)
class Section:
    """The list page of one kind of structure; its folder and title are the kind's (records/vocabulary.py)."""

    kind: Kind

    @property
    def slug(self) -> str:
        return self.kind.slug

    @property
    def title(self) -> str:
        return self.kind.heading


def public_site_url(site_url: str) -> str:
    """`site_url` if it can be published, else "".

    The address printed on sheets and in open data must reach the site from anywhere: a
    local address (this machine, a private network, « mkdocs serve ») would send the
    reader of a paper sheet nowhere.
    """
    parts = urlsplit(site_url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return ""
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return site_url
    return site_url if address.is_global else ""


def unpublished_address_notice(site_url: str) -> str:
    """What a build says when the site has no public address: "" when it has one."""
    if public_site_url(site_url):
        return ""
    said = f"« {site_url} » n'est pas une adresse publique" if site_url else "site_url n'est pas indiqué"
    return (
        f"ATTENTION : {said}. Les fiches imprimées n'auront ni lien ni QR code, et les données ouvertes "
        "aucun lien vers les fiches. Indiquez l'adresse publique du site dans site_url (mkdocs.yml)."
    )


def no_contact_notice(contact_email: str, centre_phone: str) -> str:
    """What a build says when the site gives no way to reach its resource centre: "" when it gives one."""
    if contact_email or centre_phone:
        return ""
    return (
        "ATTENTION : ni contact_email ni centre_phone n'est indiqué. Les visiteurs ne peuvent ni proposer une structure, "
        "ni signaler une erreur, ni joindre le centre ressource depuis une fiche sans contact. "
        "Indiquez au moins l'un des deux dans les options de passerelle (mkdocs.yml)."
    )


@dataclass(frozen=True)
class SiteSettings:
    """What a resource centre sets in its configuration (mkdocs.yml, or another front end)."""

    site_url: str = ""  # the public address only (public_site_url): never a local one
    contact_email: str = ""
    # The resource centre that publishes the site: offered as a way in on the page of a
    # record without contact details (generator/site/ways_in.py). Phone in E.164.
    centre_name: str = ""
    centre_phone: str = ""
    repository_url: str = ""
    data_path_in_repository: str = "data"
    site_name: str = ""
    # The records editor (/admin/, Decap CMS) on the data repository: the branch it edits,
    # GitLab's OAuth application id (PKCE), or the OAuth service of a GitHub repository.
    editor_branch: str = "main"
    editor_app_id: str = ""
    editor_auth_url: str = ""
    # Map tiles are the only third-party request a visitor's browser makes.
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
    data_licence: str = "Licence Ouverte 2.0"  # licence of the open data exports (/donnees/)
    # What the finder says when it lists few structures of a kind near a place; « {lieux} »
    # becomes the kind's plural (« GEM », « collectifs d'entraide »). True of any directory.
    coverage_note: str = "Cet annuaire ne recense pas l'ensemble des {lieux} : d'autres peuvent exister près de chez vous."
    # Whom to ask then, by kind: record ids, usually national networks (« gem: [cnigem] »).
    coverage_networks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The régions (INSEE codes) this site covers, when one data folder is published as a site
    # per région (a national directory is too big for one host); none: the whole folder.
    regions: tuple[str, ...] = ()


class SettingError(ValueError):
    """Settings that do not fit the data (a record named in a setting does not exist)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ShownStatus:
    """What the site tells a visitor about a structure's situation, next to its name."""

    slug: str  # also the CSS class `pa-badge--<slug>`
    label: str
    description: str
    # The structure does not welcome anyone now (closed, for good or for a time, or not open yet):
    # its pages say so first, and send to others of its kind.
    not_open: bool = False

    @classmethod
    def of(cls, statut: Statut) -> ShownStatus:
        return cls(statut.value, statut.label, statut.description, statut in NOT_OPEN)


NOT_OPEN = frozenset({Statut.EN_PROJET, Statut.FERME_TEMPORAIREMENT, Statut.FERME})


UNCONFIRMED = ShownStatus(
    "a_confirmer",
    "À confirmer",
    # Said on a record page after it; the page adds whom to ask (appelez, or renseignez-vous without a phone).
    "Rien de récent ne dit que la structure accueille en ce moment.",
)
# « À confirmer » of what one does not come to (is_a_place): a web page or a national network does not « accueille ».
UNCONFIRMED_WITHOUT_PLACE = "Rien de récent ne dit que la structure est active en ce moment."
# What a record page asks before its reader trusts it, by whether one comes to it (is_a_place) and whether
# the record gives a phone: nobody is sent on a trip to a web page.
ASK_FIRST = {
    (True, True): "appelez avant de vous déplacer",
    (True, False): "renseignez-vous avant de vous déplacer",
    (False, True): "appelez pour vérifier",
    (False, False): "renseignez-vous pour vérifier",
}
# Every status a page or the finder may show (an open structure shows none).
SHOWN_STATUSES = (UNCONFIRMED, *(ShownStatus.of(statut) for statut in Statut if statut != Statut.ACTIF))


def shown_status(record: Record, stale: bool) -> ShownStatus | None:
    """The record's statut, unless nobody vouches for it: then « à confirmer ».

    A closure stays said, however old. An open structure says nothing (the usual
    case); unwritten or too old to be trusted, its situation is « à confirmer ».
    """
    if record.statut == Statut.FERME:
        return ShownStatus.of(Statut.FERME)
    if stale or record.statut is None:
        return UNCONFIRMED
    return None if record.statut == Statut.ACTIF else ShownStatus.of(record.statut)


@dataclass(frozen=True)
class Entry:
    """One record with everything known about where it is, and what pages say of its situation."""

    record: Record
    place: Place
    status: ShownStatus | None = None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def section(self) -> Section:
        return Section(self.record.type)

    @property
    def is_a_place(self) -> bool:
        return is_a_place(self.record)

    @property
    def status_text(self) -> str:
        """What its shown status says, after its label."""
        if self.status == UNCONFIRMED and not self.is_a_place:
            return UNCONFIRMED_WITHOUT_PLACE
        return self.status.description if self.status else ""

    @property
    def ask_first(self) -> str:
        """Whom its record page sends the reader to first (ASK_FIRST)."""
        return ASK_FIRST[self.is_a_place, bool(self.record.telephone)]

    @property
    def receives(self) -> bool:
        """Whether one may come to it, for all its pages know: a place its shown status does not say
        closed or not open yet (« à confirmer » may receive)."""
        return is_a_place(self.record) and not (self.status and self.status.not_open)

    def says(self, fact: object) -> bool:
        """Whether its pages show a fact of coming to it (`record.horaires`, `record.accessibilite`): when the
        record gives it, and as « non renseigné » where one may come, lest its absence read as nothing to know."""
        return fact is not None or self.receives


def is_a_place(record: Record) -> bool:
    """Whether one comes to it: it has an address. Without one (a national network, a document, a service
    online) a record has a territoire only (records/models.py), and its pages speak of no place to come to."""
    return record.adresse is not None


def _in_order(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Entries by id, in the order lists show them: by kind, then by name."""
    ordered = sorted(entries, key=lambda entry: (entry.record.type.value, _sort_key(entry.record.nom)))
    return {entry.id: entry for entry in ordered}


def _shipped_orientation() -> Tree:
    # Imported here: the orientation module builds its pages from this model.
    from generator.site.orientation import load_tree

    return load_tree()


@dataclass
class SiteModel:
    """Everything the pages show; `load_site` (site/data_folder.py) reads it from a data folder."""

    catalogue: Catalogue
    gazetteer: Gazetteer
    settings: SiteSettings = field(default_factory=SiteSettings)
    today: date = field(default_factory=clock.today)
    # The data folder's own decision tree and glossary, or the ones shipped with Passerelle.
    orientation: Tree = field(default_factory=_shipped_orientation)
    glossary: list[Term] = field(default_factory=load_terms)

    @cached_property
    def entries(self) -> dict[str, Entry]:
        places = self.catalogue.places
        return _in_order(self._entry(record) for record in self.catalogue.records.values() if self.covers(places[record.id]))

    def covers(self, place: Place) -> bool:
        """Whether this site shows a record of `place`: everywhere, or when it lies in or serves a région of
        the site's (settings.regions). A record tied to no région (national, online) belongs to every site."""
        return not place.regions or any(self.covers_region(code) for code in place.regions)

    def covers_region(self, code: str | None) -> bool:
        """Whether the site covers région `code` (None: the whole country): any, without settings.regions."""
        return not self.settings.regions or code in self.settings.regions

    @property
    def scope(self) -> list[Region]:
        """The régions the site is limited to (settings.regions), or none."""
        return [region for code in self.settings.regions if (region := self.gazetteer.region(code))]

    @property
    def scope_name(self) -> str:
        """« Île-de-France », « Bretagne et Pays de la Loire »: the régions of the site, or ""."""
        names = [region.nom for region in self.scope]
        return " et ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)

    def _entry(self, record: Record) -> Entry:
        # An entry depends on its record, its place and the day only.
        return Entry(record, self.catalogue.places[record.id], shown_status(record, self.is_stale(record)))

    def updated(self, catalogue: Catalogue, changed: Iterable[str]) -> SiteModel:
        """This model, today, with `catalogue`, in which only the records `changed` differ (edited or
        added): on the same day the entries of the others are kept, so that one edit under
        `mkdocs serve` does not cost an entry per record."""
        site = replace(self, catalogue=catalogue, today=clock.today())
        if "entries" in self.__dict__ and site.today == self.today:
            changed = set(changed)
            kept = (entry for record_id, entry in self.entries.items() if record_id not in changed)
            fresh = (site._entry(catalogue.records[rid]) for rid in changed if site.covers(catalogue.places[rid]))
            site.entries = _in_order([*kept, *fresh])
        return site

    def by_kind(self, kind: Kind) -> list[Entry]:
        return [entry for entry in self.entries.values() if entry.record.type == kind]

    @cached_property
    def partners(self) -> dict[str, list[Entry]]:
        """Partnerships in both directions: naming a partner links both records."""
        linked: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.values():
            # A partner outside the site's régions has no page here: not listed.
            for partner in (p for p in entry.record.partenaires if p in self.entries):
                linked[entry.id].add(partner)
                linked[partner].add(entry.id)
        return {rid: sorted((self.entries[p] for p in ids), key=lambda e: _sort_key(e.record.nom)) for rid, ids in linked.items()}

    # Territories outside the site's régions have no page, list or count: a record there that
    # also serves the site's régions is not all that exists there.
    @cached_property
    def by_region(self) -> dict[str, list[Entry]]:
        return self._group(self._regions_of)

    @cached_property
    def by_departement(self) -> dict[str, list[Entry]]:
        return self._group(self._departements_of)

    def _regions_of(self, place: Place) -> Iterable[str]:
        return [code for code in place.regions if self.covers_region(code)] if self.settings.regions else place.regions

    def _departements_of(self, place: Place) -> Iterable[str]:
        if not self.settings.regions:
            return place.departements
        return [code for code in place.departements if (found := self.gazetteer.departement(code)) and self.covers_region(found.region)]

    def _group(self, codes_of) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries.values():
            for code in codes_of(entry.place):
                groups[code].append(entry)
        return dict(sorted(groups.items()))

    def regions(self) -> list[Region]:
        return [r for code in self.by_region if (r := self.gazetteer.region(code))]

    def departements(self) -> list[Departement]:
        return [d for code in self.by_departement if (d := self.gazetteer.departement(code))]

    def departements_of(self, region: Region) -> list[Departement]:
        return [d for d in self.departements() if d.region == region.code]

    def count_by_region(self, entries: list[Entry]) -> list[tuple[Region, int]]:
        return self._count(entries, self._regions_of, self.gazetteer.region)

    def count_by_departement(self, entries: list[Entry]) -> list[tuple[Departement, int]]:
        return self._count(entries, self._departements_of, self.gazetteer.departement)

    @staticmethod
    def _count(entries, codes_of, lookup) -> list:
        counts: dict[str, int] = defaultdict(int)
        for entry in entries:
            for code in codes_of(entry.place):
                counts[code] += 1
        return [(found, counts[code]) for code in sorted(counts) if (found := lookup(code))]

    def territory_names(self, territoire: Territoire) -> list[str]:
        """What a territory names, as a record page lists it: régions, départements (with their code), communes."""
        names = [region.nom for code in territoire.regions if (region := self.gazetteer.region(code))]
        names += [f"{d.nom} ({d.code})" for code in territoire.departements if (d := self.gazetteer.departement(code))]
        names += [commune.nom for code in territoire.communes if (commune := self.gazetteer.commune(code))]
        return names

    def national(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.record.territoire and e.record.territoire.national]

    @cached_property
    def due_before(self) -> date:
        """Records verified before this date are due for re-verification (data/reverification.yaml)."""
        return self.catalogue.reverification.due_before(self.today)

    def where(self, entry: Entry) -> str:
        """Where a record is, in a few words: its commune and département, else the territory it covers."""
        commune = entry.place.commune
        if commune:
            return f"{commune.nom} ({commune.departement})" if commune.departement else commune.nom
        territoire = entry.record.territoire
        if territoire is None:
            return ""
        if territoire.national:
            return "Toute la France"
        names = [r.nom for code in territoire.regions if (r := self.gazetteer.region(code))]
        names += [f"{d.nom} ({d.code})" for code in territoire.departements if (d := self.gazetteer.departement(code))]
        names += [c.nom for code in territoire.communes if (c := self.gazetteer.commune(code))]
        return " · ".join(names)

    def is_stale(self, record: Record) -> bool:
        return record.verifie_le < self.due_before

    @property
    def shared(self) -> tuple:
        """What any page may show besides its own inputs (`Page.inputs`): the day, the re-verification
        rule, the settings and the glossary. When it changes, every page may change."""
        return (self.today, self.catalogue.reverification, self.settings, tuple(self.glossary))


def group_by_kind(entries: list[Entry]) -> list[tuple[Section, list[Entry]]]:
    """Entries in the order of the kinds, empty kinds left out."""
    return [(Section(kind), found) for kind in Kind if (found := [e for e in entries if e.record.type == kind])]


# The group of a département's long list for records that give no commune.
NO_COMMUNE = "Sans commune indiquée"


def group_by_commune(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries by the commune of their place (« Lille (59) »), in the communes' alphabetical order, those without one last."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        commune = entry.place.commune
        groups[f"{commune.nom} ({commune.departement})" if commune else ""].append(entry)
    named = [(name, groups[name]) for name in sorted((name for name in groups if name), key=_sort_key)]
    return named + ([(NO_COMMUNE, groups[""])] if "" in groups else [])


def _sort_key(text: str) -> str:
    return normalize(text)
