"""The sitemap stays within what search engines accept: 50,000 addresses a file (sitemaps.org)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from generator.build import sitemap
from generator.build.sitemap import SITEMAP, add_to_sitemap, sitemap_parts
from tests.sitebuild import build_site

NAMESPACE = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ENGINE_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    "    <url>\n         <loc>https://exemple.fr/</loc>\n    </url>\n"
    "    <url>\n         <loc>https://exemple.fr/structures/passerelle-layout/</loc>\n    </url>\n"
    "    <url>\n         <loc>https://exemple.fr/guides/</loc>\n    </url>\n"
    "</urlset>"
)


def addresses(site: Path) -> list[str]:
    """Every address the sitemap lists, through its index when it is split; each file checked as XML."""
    root = ElementTree.parse(site / SITEMAP).getroot()
    if root.tag.endswith("sitemapindex"):
        files = [site / loc.text.rsplit("/", 1)[-1] for loc in root.findall("s:sitemap/s:loc", NAMESPACE)]
        assert [file.name for file in files] == sitemap_parts(site)
    else:
        files = [site / SITEMAP]
    found = []
    for file in files:
        listed = [loc.text for loc in ElementTree.parse(file).getroot().findall("s:url/s:loc", NAMESPACE)]
        assert len(listed) <= sitemap.URLS_PER_FILE
        found += listed
    return found


def test_past_the_limit_the_sitemap_is_an_index_of_files_under_it_and_back(tmp_path, monkeypatch):
    monkeypatch.setattr(sitemap, "URLS_PER_FILE", 50)
    (tmp_path / SITEMAP).write_text(ENGINE_SITEMAP, encoding="utf-8")
    (tmp_path / (SITEMAP + ".gz")).write_bytes(gzip.compress(ENGINE_SITEMAP.encode()))
    pages = [f"structures/fiche-{n}/" for n in range(120)]

    add_to_sitemap(tmp_path, "https://exemple.fr/", pages, ["structures/passerelle-layout/"])
    assert sitemap_parts(tmp_path) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = (tmp_path / SITEMAP).read_text(encoding="utf-8")
    assert "<loc>https://exemple.fr/sitemap-2.xml</loc>" in index
    assert gzip.decompress((tmp_path / (SITEMAP + ".gz")).read_bytes()).decode() == index
    expected = ["https://exemple.fr/", "https://exemple.fr/guides/", *(f"https://exemple.fr/{page}" for page in pages)]
    assert addresses(tmp_path) == expected

    # Pages dropped from a split sitemap (as `mkdocs serve` does after an edit): one file again, the parts gone.
    add_to_sitemap(tmp_path, "https://exemple.fr/", [], pages[:100])
    assert sitemap_parts(tmp_path) == [] and not list(tmp_path.glob("sitemap-*.xml"))
    assert addresses(tmp_path) == expected[:2] + expected[102:]


def test_a_small_site_keeps_the_engines_one_file(tmp_path):
    (tmp_path / SITEMAP).write_text(ENGINE_SITEMAP, encoding="utf-8")
    add_to_sitemap(tmp_path, "https://exemple.fr/", ["structures/gem-a/"], ["structures/passerelle-layout/"])
    assert (tmp_path / SITEMAP).read_text(encoding="utf-8") == (
        ENGINE_SITEMAP.replace("    <url>\n         <loc>https://exemple.fr/structures/passerelle-layout/</loc>\n    </url>\n", "").replace(
            "</urlset>", "    <url>\n         <loc>https://exemple.fr/structures/gem-a/</loc>\n    </url>\n</urlset>"
        )
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    """The shipped data built as it is, then with a limit of 40 addresses a sitemap file: a national directory's case, small."""
    root = tmp_path_factory.mktemp("sitemap")
    one_file = build_site(root / "one-file", site_url="https://annuaire.exemple.fr/")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sitemap, "URLS_PER_FILE", 40)
        split = build_site(root / "split", site_url="https://annuaire.exemple.fr/")
    return one_file, split


def test_a_real_build_past_the_limit_lists_the_same_pages_in_files_under_it(sites):
    one_file, split = sites
    assert sitemap_parts(one_file) == [] and len(sitemap_parts(split)) > 1
    listed = addresses(split)
    assert listed == addresses(one_file) and len(listed) > 80
    assert len(set(listed)) == len(listed) and all(address.startswith("https://annuaire.exemple.fr/") for address in listed)
    assert "<loc>https://annuaire.exemple.fr/sitemap-1.xml</loc>" in (split / SITEMAP).read_text(encoding="utf-8")
