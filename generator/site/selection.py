"""« Ma sélection » (/selection/): records a visitor keeps to print together or share as a link.

A professional referring someone usually hands over two or three places. Any
visitor can add records to a selection from a record page or a finder result;
the selection is kept in the browser only (localStorage: no account, no server,
no cookie), shown on /selection/, printed there as one document (each record's
sheet on its own A4 page) and shared as a link that carries only record ids, in
its fragment (`/selection/#ids=a,b,c`), which browsers never send to a server.
Everything in the browser is site_theme/assets/javascripts/passerelle-selection.js.

/selection/ prints the record pages' own sheets: it reads each chosen record's
page and keeps its printed part, so that a selection prints exactly what each
record page prints. It must not ask the server for the chosen pages alone: the
requests would tell the server which places were chosen for someone. The records
are split into groups of about GROUP_SIZE by a hash of their id, each group's ids
in a small file (`selection/groupes/<n>.json`); the page asks for the group of
each chosen id, then for every record page of that group, and the server learns
no more than « one of these twenty records ». (Copies of the sheets in those
files weighed 150 MB at 50,000 records, and a pass over every finished page.)
"""

from __future__ import annotations

import json
import math

from generator.site.model import SiteModel
from generator.site.pages import Asset, Page

SELECTION_PAGE = "selection/index.md"
GROUPS_FOLDER = "selection/groupes"
# Relative to the page, /selection/.
GROUPS_URL = "groupes/"
RECORDS_URL = "../structures/"
# About this many records a group: the crowd each chosen record hides in, against the pages
# the browser reads for it (about 4 KB each, compressed).
GROUP_SIZE = 20


def selection_pages(site: SiteModel) -> list[Page]:
    context = {
        "groups": group_count(len(site.entries)),
        "groups_url": GROUPS_URL,
        "records_url": RECORDS_URL,
    }
    return [
        Page(
            SELECTION_PAGE,
            "Ma sélection",
            "selection.html",
            context,
            description="Les structures que vous avez choisies : à imprimer ensemble, une fiche par page, ou à envoyer par un lien.",
        )
    ]


def group_count(records: int) -> int:
    return max(1, math.ceil(records / GROUP_SIZE))


def group_of(record_id: str, groups: int) -> int:
    """The group of a record: FNV-1a (32 bits) of its id, modulo the number of groups.

    The script computes the same (`groupOf` in passerelle-selection.js); ids are ASCII
    (records/models.py, ID_PATTERN).
    """
    hashed = 0x811C9DC5
    for byte in record_id.encode("ascii"):
        hashed = ((hashed ^ byte) * 0x01000193) & 0xFFFFFFFF
    return hashed % groups


def selection_assets(site: SiteModel) -> list[Asset]:
    """`selection/groupes/<n>.json`: the ids of each group, sorted; every group's file, even empty."""
    groups = group_count(len(site.entries))
    members: list[list[str]] = [[] for _ in range(groups)]
    for record_id in sorted(site.entries):
        members[group_of(record_id, groups)].append(record_id)
    return [Asset(f"{GROUPS_FOLDER}/{number}.json", json.dumps(ids, separators=(",", ":"))) for number, ids in enumerate(members)]
