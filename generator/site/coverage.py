"""What the directory lists, beside what is known to exist.

A reference count (`data/references.yaml`, generator/records/references.py) says
how many structures of a kind a named source counted in a territory at a date. Each
is set beside the directory's own records of that kind in that territory, so that
the observatory, the finder and the list pages can say, in figures, that structures
exist which the directory does not list — with the source and its date, and a
warning when the figure is older than the re-verification delay.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.records.models import period_end
from generator.records.references import NATIONAL, NombreDeReference, period_start
from generator.records.vocabulary import Kind, NatureNombre, Statut
from generator.site.model import UNCONFIRMED, Entry, ShownStatus, SiteModel
from generator.site.text import number_fr, partial_date_fr
from generator.site.ways_in import reachable_centres, reachable_networks, serves, why_to_ask


@dataclass(frozen=True)
class Coverage:
    """One reference count and the directory's records of the same kind in the same territory."""

    count: NombreDeReference
    territory: str  # « France », « Île-de-France », « Hauts-de-Seine (92) »
    # What pages show of each record's situation (`Entry.status`): an old « ouvert » or « en projet » is « à confirmer ».
    listed: int  # records of the kind in the territory, closed structures apart
    open: int  # of which a recent record says the structure is open
    not_open_yet: int  # of which a recent record says the structure is announced or being set up
    unconfirmed: int  # of which the situation is « à confirmer »: the record is old or does not say it
    stale: bool  # older than the re-verification delay

    @property
    def kind(self) -> Kind:
        return self.count.type

    @property
    def area(self) -> str:
        return self.count.area

    @property
    def planned(self) -> bool:
        return self.count.nature == NatureNombre.PREVUS

    @property
    def missing(self) -> bool:
        """Structures that existed and that the directory does not list, at least in number: a structure not
        open yet is not one of those a count of existing structures counted."""
        return not self.planned and self.count.nombre > self.comparable

    @property
    def comparable(self) -> int:
        """The records that may be of structures the count counted: a structure not open yet is not one."""
        return self.listed - self.not_open_yet

    @property
    def more_than_counted(self) -> bool:
        """More records than the count: they need not include every structure it counted, so no share is said."""
        return self.comparable > self.count.nombre

    @property
    def share(self) -> float | None:
        """The part of the counted structures the directory lists, at most; None when it lists more."""
        return self.comparable / self.count.nombre if self.count.nombre and not self.more_than_counted else None

    @property
    def figure(self) -> str:
        """« 430 GEM », « 1 collectif d'entraide »."""
        nouns = self.kind.nouns
        return f"{self.count.nombre} {nouns.plural if self.count.nombre > 1 else nouns.singular}"

    @property
    def when(self) -> str:
        """« au 31 décembre 2016 », « en septembre 2018 », « en 2018 »; an objective's « à l'horizon 2023 »."""
        said = partial_date_fr(self.count.date)
        if self.planned:
            return f"à l'horizon {said}"
        return f"au {said}" if self.count.date.count("-") == 2 else f"en {said}"

    @property
    def statement(self) -> str:
        """« Île-de-France : 76 CLSM en 2018 (dont 62 actifs), selon l'ARS Île-de-France. »"""
        planned = " prévus" if self.planned else ""
        note = f" ({self.count.note})" if self.count.note else ""
        return f"{self.territory} : {self.figure}{planned} {self.when}{note}, selon {self.count.selon}."

    @property
    def listed_text(self) -> str:
        """« Cet annuaire en liste 7, dont 2 pas encore ouverts. »: beside a count of the structures that existed,
        the records of structures not open yet are said apart, and those whose situation is « à confirmer »
        (« Cet annuaire en liste 3 ; leur situation est à confirmer. »)."""
        text = f"Cet annuaire en liste {number_fr(self.listed)}"
        if self.not_open_yet:
            text += f", dont {number_fr(self.not_open_yet)} pas encore {self._open_word(self.not_open_yet)}"
        if self.unconfirmed:
            text += f" ; {self._unconfirmed_words()}"
        return f"{text}."

    def _open_word(self, number: int) -> str:
        return ("ouverte" if self.kind.nouns.feminine else "ouvert") + ("s" if number > 1 else "")

    def _unconfirmed_words(self) -> str:
        if self.unconfirmed == self.listed:
            return f"{'leur' if self.unconfirmed > 1 else 'sa'} situation est à confirmer"
        among = "d'entre elles" if self.kind.nouns.feminine else "d'entre eux"
        return f"pour {number_fr(self.unconfirmed)} {among}, la situation est à confirmer"

    @property
    def stale_text(self) -> str:
        """What a visitor must know of an old figure; "" when it is recent."""
        return self.stale_words(1)

    def stale_words(self, figures: int) -> str:
        """What a visitor must know of this figure, said of `figures` figures of the same date; "" when recent."""
        if not self.stale:
            return ""
        if self.planned:
            return (
                "Cette échéance est passée : ce qui a été fait depuis n'est pas indiqué ici."
                if figures == 1
                else "Ces échéances sont passées : ce qui a été fait depuis n'est pas indiqué ici."
            )
        said = partial_date_fr(self.count.date)
        since = f"du {said}" if self.count.date.count("-") == 2 else f"de {said}"
        return (
            f"Ce chiffre date {since} : il a pu changer depuis."
            if figures == 1
            else f"Ces chiffres datent {since} : ils ont pu changer depuis."
        )

    @property
    def source_date(self) -> str:
        return partial_date_fr(self.count.source.date)


@dataclass(frozen=True)
class SameSource:
    """Counts listed one after the other with the same source and date: what their age means and their source
    are said once for them all (a kind's page quoted the same study under each of nine départements)."""

    coverages: tuple[Coverage, ...]

    @property
    def stale_text(self) -> str:
        return self.coverages[0].stale_words(len(self.coverages))


def by_source(coverages: list[Coverage]) -> list[SameSource]:
    """`coverages` in their order, those that follow each other with the same source and date together."""
    groups: list[list[Coverage]] = []
    for coverage in coverages:
        if groups and _same_source(groups[-1][-1], coverage):
            groups[-1].append(coverage)
        else:
            groups.append([coverage])
    return [SameSource(tuple(group)) for group in groups]


def _same_source(one: Coverage, other: Coverage) -> bool:
    return (one.count.source, one.count.date, one.planned) == (other.count.source, other.count.date, other.planned)


def coverages(site: SiteModel) -> list[Coverage]:
    """Every reference count beside the directory's figures: by kind, then France, régions, départements."""
    found = [_coverage(site, count) for count in site.catalogue.references if _in_scope(site, count)]
    order = {kind: index for index, kind in enumerate(Kind)}

    def rank(coverage: Coverage) -> tuple:
        scope = 0 if coverage.area == NATIONAL else 1 if coverage.area.startswith("r") else 2
        return (order[coverage.kind], coverage.planned, scope, coverage.area, -period_start(coverage.count.date).toordinal())

    return sorted(found, key=rank)


def latest_counts(site: SiteModel) -> list[Coverage]:
    """The most recent count of existing structures for each kind and territory: what a visitor is told."""
    latest: dict[tuple[Kind, str], Coverage] = {}
    for coverage in coverages(site):  # the most recent first within a kind and territory
        if not coverage.planned:
            latest.setdefault((coverage.kind, coverage.area), coverage)
    return list(latest.values())


def _in_scope(site: SiteModel, count: NombreDeReference) -> bool:
    """Whether the count is of a territory within the site's régions (settings.regions). Outside them,
    the site lists only the records that also serve its régions: it cannot set them beside the count."""
    region = site.gazetteer.departement(count.departement).region if count.departement is not None else count.region
    return site.covers_region(region)  # None: a national count


def _coverage(site: SiteModel, count: NombreDeReference) -> Coverage:
    if count.departement is not None:
        departement = site.gazetteer.departement(count.departement)
        territory, entries = f"{departement.nom} ({departement.code})", site.by_departement.get(departement.code, [])
    elif count.region is not None:
        territory, entries = site.gazetteer.region(count.region).nom, site.by_region.get(count.region, [])
    else:
        territory, entries = "France", list(site.entries.values())
    listed = [entry for entry in entries if entry.record.type == count.type and entry.record.statut != Statut.FERME]
    return Coverage(
        count,
        territory,
        len(listed),
        _with(listed, None),
        _with(listed, ShownStatus.of(Statut.EN_PROJET)),
        _with(listed, UNCONFIRMED),
        period_end(count.date) < site.due_before,
    )


def _with(entries: list[Entry], status: ShownStatus | None) -> int:
    """The entries pages show with `status` (None: open, said by a recent record)."""
    return sum(entry.status == status for entry in entries)


# --- Whom to ask ------------------------------------------------------------------------
# A count says structures exist that the directory does not list: a page that says so
# names who may know them, so that nobody is left with a figure and no way on.


@dataclass(frozen=True)
class Asked:
    """A record to ask about the structures a count says exist, and why."""

    entry: Entry
    why: str


class WhomToAsk:
    """Who may know the structures a count says exist: the resource centres serving the territory, then
    the records of `coverage_networks` set for the counted kinds. Only records that give a way to reach
    them (as ways_in does): a record without one would send the visitor to one more page with no contact.
    What all pages share is gathered once."""

    def __init__(self, site: SiteModel):
        self.centres = reachable_centres(site)
        self.networks = reachable_networks(site)

    def of(self, kinds: list[Kind], region: str | None = None, departement: str | None = None) -> list[Asked]:
        """For a région's or a département's page (their codes); for France, the networks only."""
        asked: dict[str, Asked] = {}
        if region is not None:
            for entry in self.centres:
                if serves(entry, [region], [departement] if departement else []):
                    asked.setdefault(entry.id, Asked(entry, "centre ressource de ce territoire"))
        for kind in kinds:
            for entry in self.networks.get(kind.value, []):
                asked.setdefault(entry.id, Asked(entry, why_to_ask(entry)))
        return list(asked.values())
