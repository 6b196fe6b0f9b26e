"""The generated pages of the site, and their rendering from Jinja2 templates.

This module knows nothing of MkDocs: a page is a docs-relative path, a title
and a template with its context, rendered to an HTML fragment. A front end
(the MkDocs plugin today) places the fragments in its own layout.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.runtime import Context, Macro

from generator.records.models import Record
from generator.records.vocabulary import Kind
from generator.site import text
from generator.site.closures import dated_hours
from generator.site.coverage import Asked, Coverage, WhomToAsk, by_source, latest_counts
from generator.site.hours import holidays_of_build, readable_week
from generator.site.map_blocks import departement_map, record_map, region_map
from generator.site.model import LIST_LIMIT, SHOWN_STATUSES, UNCONFIRMED, Section, SiteModel, group_by_commune, group_by_kind
from generator.site.reports import record_report
from generator.site.ways_in import WaysInFinder


@dataclass(frozen=True)
class Asset:
    """A file of the built site that is not a page: data for the browser, downloads."""

    path: str
    content: str | bytes


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    # Its HTML is read into the site search's index (generator/build/search_index.py).
    searchable: bool = True
    # One of many pages with the same layout in one folder (records, territories): a
    # front end may render them outside its page pipeline, around a shared layout.
    bulk: bool = False
    # What the page shows besides what every page may show (`SiteModel.shared`), as values
    # compared with ==: equal inputs, same page. A build that wrote the page with equal inputs
    # need not write it again (generator/build/update.py). None: unknown, always written.
    inputs: Any = None

    @property
    def url(self) -> str:
        return page_url(self.path)


def page_url(path: str) -> str:
    """Directory-style URL of a docs-relative Markdown path: `gem/index.md` → `gem/`."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative_url(from_url: str, to_url: str) -> str:
    relative = _relative_path(to_url, from_url)
    if to_url.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return "./" if relative == "./" or relative == "." else relative


def _relative_path(to_url: str, from_url: str) -> str:
    """`posixpath.relpath("/" + to_url, "/" + from_url)` for site-relative URLs, without its
    normalisation work: every page links to dozens of others, tens of thousands of times a build."""
    to_parts = [part for part in to_url.split("/") if part]
    from_parts = [part for part in from_url.split("/") if part]
    common = 0
    for to_part, from_part in zip(to_parts, from_parts, strict=False):
        if to_part != from_part:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."


def record_path(record_id: str) -> str:
    return f"structures/{record_id}.md"


def easy_read_path(record_id: str) -> str:
    """The record's easy-read version (generator/site/easy_read.py)."""
    return f"facile/structures/{record_id}.md"


def section_path(kind: Kind) -> str:
    return f"{kind.slug}/index.md"


FINDER_PAGE = "trouver/index.md"


def nearby_query(record: Record) -> str:
    """The finder's query (FINDER_PAGE) for other structures of the record's kind near it: « ?type=gem&cp=92260 »."""
    postcode = record.adresse.code_postal if record.adresse and record.adresse.code_postal else ""
    return f"?type={record.type.value}" + (f"&cp={postcode}" if postcode else "")


def region_path(code: str) -> str:
    return f"regions/{code}.md"


def departement_path(code: str) -> str:
    return f"departements/{code}.md"


def territory_paths(site: SiteModel) -> dict[str, str]:
    """The page of each territory the site has one for, by the finder's name of it: « r11 », « 92 »."""
    return {f"r{code}": region_path(code) for code in site.by_region} | {code: departement_path(code) for code in site.by_departement}


def record_pages(site: SiteModel, ids: Iterable[str] | None = None) -> list[Page]:
    """The page of every record, or of the records `ids` (those of them that exist)."""
    reach = WaysInFinder(site)
    entries = site.entries.values() if ids is None else [site.entries[i] for i in ids if i in site.entries]
    pages = []
    for entry in entries:
        partners = site.partners.get(entry.id, [])
        ways_in = reach.of(entry)
        pages.append(
            Page(
                record_path(entry.id),
                entry.record.nom,
                "record.html",
                {
                    "entry": entry,
                    "partners": partners,
                    "ways_in": ways_in,
                    "map": record_map(entry, site.today),
                    "report": record_report(entry.record, site.settings),
                },
                description=f"{entry.section.kind.label} — {entry.place.commune.nom if entry.place.commune else 'sans adresse dans l’annuaire'}",
                # Records and territories are searched from the site model (site/search.py), not their HTML.
                searchable=False,
                bulk=True,
                # The map and the report link are made of the entry, the day and the settings (`SiteModel.shared`).
                inputs=(entry, partners, ways_in),
            )
        )
    return pages


def directory_pages(site: SiteModel) -> list[Page]:
    pages = record_pages(site)
    known = latest_counts(site)
    whom = WhomToAsk(site)
    # What serves a whole région (a resource centre), in no département of its own: its départements' pages list it too.
    whole_region = {code: [e for e in entries if not e.place.departements] for code, entries in site.by_region.items()}
    # What serves all France is listed once, on the territories' page; each territory's page says how many and links there.
    national = site.national()
    for kind in Kind:
        shown = [c for c in known if c.kind == kind]
        context = {
            "section": Section(kind),
            "entries": site.by_kind(kind),
            "known": by_source(shown),
            "ask": _ask(whom, shown),
            # For a kind of which the directory has no record yet: where else to look, and the orientation helper.
            "where_else": site.orientation.where_else(kind),
            "orientation": site.orientation.path(site.orientation.depart),
        }
        pages.append(Page(section_path(kind), kind.heading, "section.html", context))
    for region in site.regions():
        entries = site.by_region[region.code]
        context = {
            "region": region,
            "departement": None,
            "groups": group_by_kind(entries),
            "children": site.departements_of(region),
            "map": region_map(region.nom, region.code, entries),
            "known": by_source(shown := [c for c in known if c.area == f"r{region.code}"]),
            "ask": _ask(whom, shown, region.code),
            "whole_region": [],
            "national": len(national),
        }
        pages.append(_territory_page(region_path(region.code), region.nom, context))
    for departement in site.departements():
        entries = site.by_departement[departement.code]
        region = site.gazetteer.region(departement.region)
        title = f"{departement.nom} ({departement.code})"
        context = {
            "region": region,
            "departement": departement,
            "groups": group_by_kind(entries),
            "children": [],
            "map": departement_map(title, departement.code, entries),
            "known": by_source(shown := [c for c in known if c.area == departement.code]),
            "ask": _ask(whom, shown, departement.region, departement.code),
            "whole_region": whole_region.get(departement.region, []),
            "national": len(national),
        }
        pages.append(_territory_page(departement_path(departement.code), title, context))
    pages.append(Page("regions/index.md", "Territoires", "territories.html", {"regions": site.regions(), "national": national}))
    return pages


def _ask(whom: WhomToAsk, shown: list[Coverage], region: str | None = None, departement: str | None = None) -> list[Asked] | None:
    """Whom a page's counts send to; None when they say of no structure the directory misses."""
    kinds = list(dict.fromkeys(c.kind for c in shown if c.missing))
    return whom.of(kinds, region, departement) if kinds else None


def _territory_page(path: str, title: str, context: dict[str, Any]) -> Page:
    # Territories are searched from the site model (site/search.py), not their HTML. The description is
    # what a search engine shows under the page's title (its <meta name="description">).
    description = f"{title} : les structures de l'annuaire (GEM, collectifs d'entraide, CLSM, ESMS, ressources), sur une carte et par type."
    return Page(
        path, title, "territory.html", context, description=description, searchable=False, bulk=True, inputs=tuple(context.values())
    )


# What a template calls that can ask for nothing of Jinja but through `jinja_pass_arg` (pass_context…):
# functions, methods and macros, not objects whose `__call__` could.
_PLAIN_CALLABLES = frozenset({types.FunctionType, types.BuiltinFunctionType, types.MethodType, Macro})


class _Context(Context):
    """Jinja's context, calling a plain function or macro at once.

    A record page calls about thirty (`link`, the slots' macros…), each through `Context.call`,
    which looks for what Jinja could pass it in four ways first: 0.7 µs a function and 1.2 µs a
    macro less this way. Anything else goes through Jinja's own `call`.
    """

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        # Jinja passes the variables of loops and blocks for the callables that take the context.
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja says it
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class _Environment(Environment):
    """Jinja's environment, each template's globals a copy of the environment's rather than a view of them.

    Jinja reads a template's globals at every include and import (about ten a record
    page), and a view (a ChainMap) answers in Python: an eighth of a record page's
    rendering. The Renderer sets the globals once, before any template is loaded, so a
    copy misses nothing.
    """

    context_class = _Context

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class Renderer:
    """Renders pages to HTML fragments with the templates of `site_theme/passerelle/`."""

    def __init__(self, templates: Path, site: SiteModel):
        self.site = site
        self.environment = _Environment(
            loader=FileSystemLoader(templates),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # A renderer lives for one generation: its templates cannot change under it, so
            # no file check on each of the tens of thousands of includes of a build.
            auto_reload=False,
        )
        self.environment.filters.update(
            markdown=text.markdown,
            date_fr=text.date_fr,
            french_spacing=text.french_spacing,
            partial_date_fr=text.partial_date_fr,
            source_date_fr=text.source_date_fr,
            phone=text.phone_display,
            number=text.number_fr,
            upper_first=text.upper_first,
            readable_week=lambda horaires: readable_week(horaires, self.site.today),
            dated_hours=lambda entry: dated_hours(
                entry.record, self.site.today, holidays_of_build(self.site.today, entry.place.departements)
            ),
        )
        self.environment.globals.update(
            site=site,
            Kind=Kind,
            record_path=record_path,
            easy_read_path=easy_read_path,
            section_path=section_path,
            finder_page=FINDER_PAGE,
            nearby_query=nearby_query,
            region_path=region_path,
            departement_path=departement_path,
            list_limit=LIST_LIMIT,
            group_by_commune=group_by_commune,
            unconfirmed=UNCONFIRMED,
            status_meanings={status.label: status.description for status in SHOWN_STATUSES},
        )

    def render(self, page: Page) -> str:
        template = self.environment.get_template(page.template)

        def link(path: str) -> str:
            return relative_url(page.url, page_url(path))

        return template.render(page=page, link=link, **page.context)
