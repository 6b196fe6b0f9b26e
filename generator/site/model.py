"""The site model: the validated catalogue arranged the way pages need it.

Everything the pages show is computed here once (sections, territories,
partnerships in both directions), so templates only display.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from generator.catalogue import Catalogue
from generator.geo.gazetteer import Departement, Gazetteer, Region, normalize
from generator.geo.places import Place
from generator.records.models import Record
from generator.records.vocabulary import Kind

STALE_AFTER_DAYS = 365
# Beyond this many entries a list page shows counts per territory instead: a national
# directory has tens of thousands of ESMS, and a 40,000-line page helps nobody.
LIST_LIMIT = 200


@dataclass(frozen=True)
class Section:
    """The list page of one kind of structure."""

    kind: Kind
    slug: str
    title: str


SECTIONS = {
    Kind.GEM: Section(Kind.GEM, "gem", "Groupes d'entraide mutuelle (GEM)"),
    Kind.COLLECTIF: Section(Kind.COLLECTIF, "collectifs", "Collectifs d'entraide et d'insertion sociale et professionnelle"),
    Kind.CLSM: Section(Kind.CLSM, "clsm", "Conseils locaux de santé mentale (CLSM)"),
    Kind.ESMS: Section(Kind.ESMS, "esms", "Établissements et services médico-sociaux (ESMS)"),
    Kind.EMPLOYEUR: Section(Kind.EMPLOYEUR, "employeurs", "Employeurs partenaires"),
    Kind.RESSOURCE: Section(Kind.RESSOURCE, "ressources", "Autres ressources"),
}


@dataclass(frozen=True)
class SiteSettings:
    """What a resource centre sets in its configuration (mkdocs.yml, or another front end)."""

    site_url: str = ""
    contact_email: str = ""
    repository_url: str = ""
    data_path_in_repository: str = "data"
    # Map tiles are the only third-party request a visitor's browser makes.
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
    data_licence: str = "Licence Ouverte 2.0"  # licence of the open data exports (/donnees/)


@dataclass(frozen=True)
class Entry:
    """One record with everything known about where it is."""

    record: Record
    place: Place

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def section(self) -> Section:
        return SECTIONS[self.record.type]


@dataclass
class SiteModel:
    catalogue: Catalogue
    gazetteer: Gazetteer
    settings: SiteSettings = field(default_factory=SiteSettings)
    today: date = field(default_factory=date.today)

    @cached_property
    def entries(self) -> dict[str, Entry]:
        records = sorted(self.catalogue.records.values(), key=lambda r: (r.type.value, _sort_key(r.nom)))
        return {r.id: Entry(r, self.catalogue.places[r.id]) for r in records}

    def by_kind(self, kind: Kind) -> list[Entry]:
        return [entry for entry in self.entries.values() if entry.record.type == kind]

    @cached_property
    def partners(self) -> dict[str, list[Entry]]:
        """Partnerships in both directions: naming a partner links both records."""
        linked: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.values():
            for partner in entry.record.partenaires:
                linked[entry.id].add(partner)
                linked[partner].add(entry.id)
        return {rid: sorted((self.entries[p] for p in ids), key=lambda e: _sort_key(e.record.nom)) for rid, ids in linked.items()}

    @cached_property
    def by_region(self) -> dict[str, list[Entry]]:
        return self._group(lambda place: place.regions)

    @cached_property
    def by_departement(self) -> dict[str, list[Entry]]:
        return self._group(lambda place: place.departements)

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
        return self._count(entries, lambda place: place.regions, self.gazetteer.region)

    def count_by_departement(self, entries: list[Entry]) -> list[tuple[Departement, int]]:
        return self._count(entries, lambda place: place.departements, self.gazetteer.departement)

    @staticmethod
    def _count(entries, codes_of, lookup) -> list:
        counts: dict[str, int] = defaultdict(int)
        for entry in entries:
            for code in codes_of(entry.place):
                counts[code] += 1
        return [(found, counts[code]) for code in sorted(counts) if (found := lookup(code))]

    def national(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.record.territoire and e.record.territoire.national]

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
        return (self.today - record.verifie_le).days > STALE_AFTER_DAYS


def group_by_kind(entries: list[Entry]) -> list[tuple[Section, list[Entry]]]:
    """Entries in the order of SECTIONS, empty kinds left out."""
    return [(s, found) for kind, s in SECTIONS.items() if (found := [e for e in entries if e.record.type == kind])]


def _sort_key(text: str) -> str:
    return normalize(text)
