"""The lighter layout of the bulk pages (records, territories, easy-read records).

At 50,000 records each byte of their layout is 50 kB of the published site, so the
layout the engine renders for them (generator/build/bulk.py) is made lighter, the
same way under every engine:

* in the theme (main.html, for pages whose front matter says `passerelle_bulk`):
  links to the site's main sections (`main_sections`) instead of the engine's whole
  menu, which was half of every record page, and no empty table of contents; on
  every easy-read page, a shorter menu of easy-read pages (`easy_read_sections`);
* here, on the HTML the engine wrote (`lean_layout`): no indentation, no
  `<meta name="generator">`, the theme's icons drawn from one shared file
  (`ICONS`, cached by the browser) instead of repeated inline in every page, and
  the theme's configuration block without the words of the engine's own search,
  which the site does not use (its search is generator/site/search.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.site.pages import page_url

# Front matter of the layout pages: main.html gives them the lighter layout.
LAYOUT_META = {"passerelle_bulk": True}
# The easy-read menu's words for the finder and the site's home (`easy_read_sections`).
EASY_READ_FINDER = "Trouver un lieu près de chez vous"
EASY_READ_WHOLE_SITE = "Le site complet"
# The icons of the bulk pages' layout, as SVG symbols, in the site.
ICONS = "assets/passerelle-icons.svg"


def main_sections(nav: Any) -> list[list[str]]:
    """(title, site-relative URL) of each entry of the configuration's `nav` (its first level).

    A section is linked by its index page (its first entry without a title, as Material
    for MkDocs shows it), or, without one, by each of its pages (« Annuaire » by GEM,
    CLSM…). Without a `nav`, none: the bulk pages then show the engine's whole menu.
    """
    links = []
    for item in nav if isinstance(nav, list) else []:
        for title, target in item.items() if isinstance(item, dict) else ():
            if isinstance(target, str):
                links.append([title, _target_url(target)])
            elif isinstance(target, list) and target and isinstance(target[0], str):
                links.append([title, _target_url(target[0])])
            elif isinstance(target, list):
                links += _titled_pages(target)
    return links


def _titled_pages(entries: list[Any]) -> list[list[str]]:
    """(title, site-relative URL) of the entries of a `nav` section that have a title."""
    return [[t, _target_url(u)] for entry in entries if isinstance(entry, dict) for t, u in entry.items() if isinstance(u, str)]


def easy_read_sections(nav: Any, folder: str, finder_page: str) -> list[list[str]]:
    """(title, site-relative URL) of the easy-read pages' menu: the pages of the `nav` section whose index is
    `folder`'s, then the finder and the whole site, in plain words. Without that section, none: the easy-read
    pages then show the menu of the other pages.

    A person reading the easy-read pages is not sent to eighteen sections named by acronyms (GEM, CLSM,
    ESMS…) and professional terms; the whole site is one link away.
    """
    index = page_url(f"{folder}index.md")
    for item in nav if isinstance(nav, list) else []:
        for title, target in item.items() if isinstance(item, dict) else ():
            if isinstance(target, list) and target and isinstance(target[0], str) and _target_url(target[0]) == index:
                finder = [[EASY_READ_FINDER, url] for _, url in main_sections(nav) if url == page_url(finder_page)]
                return [[title, index], *_titled_pages(target[1:]), *finder, [EASY_READ_WHOLE_SITE, page_url("index.md")]]
    return []


def _target_url(target: str) -> str:
    return target if "://" in target else page_url(target)


class IconSprite:
    """The inline icons of the layouts, gathered as symbols of one file (`ICONS`)."""

    def __init__(self) -> None:
        self.symbols: dict[str, str] = {}  # an icon's drawing → its symbol's id

    def use(self, html: str, root: str) -> str:
        """`html` with each inline icon replaced by a reference to its symbol; `root`: the page's way back to the site's root."""

        def reference(match: re.Match[str]) -> str:
            view_box, drawing = match.group(1), match.group(2)
            symbol = self.symbols.setdefault(f'viewBox="{view_box}">{drawing}', f"i{len(self.symbols)}")
            return f'<svg viewBox="{view_box}"><use href="{root}{ICONS}#{symbol}"/></svg>'

        return _INLINE_ICON.sub(reference, html)

    def write(self, site_dir: Path) -> None:
        if not self.symbols:
            return
        symbols = "".join(f'<symbol id="{symbol}" {drawing}</symbol>' for drawing, symbol in self.symbols.items())
        (site_dir / ICONS).write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n', encoding="utf-8")


# The engines' icons: a square view box, paths only (no id, no style that a <use> would change).
_INLINE_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([0-9 .]+)">((?:<path d="[^"<>]*"/>)+)</svg>')


def lean_layout(html: str, layout_url: str, icons: IconSprite) -> str:
    """The engine's rendering of a bulk layout page, lighter and the same to a visitor."""
    html = re.sub(r'<meta name="generator" content="[^"]*">\n?', "", html)
    html = icons.use(html, "../" * layout_url.count("/"))
    html = _THEME_CONFIG.sub(_without_search_words, html)
    return without_indentation(html)


# Material's (and Zensical's classic) configuration block, read by its bundle.
_THEME_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _without_search_words(match: re.Match[str]) -> str:
    """The configuration block without the engine's search messages, written compactly."""
    try:
        config = json.loads(match.group(2))
    except ValueError:
        return match.group(0)
    translations = config.get("translations") if isinstance(config, dict) else None
    if isinstance(translations, dict):
        config["translations"] = {key: text for key, text in translations.items() if not key.startswith("search.")}
    written = json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return match.group(1) + written + match.group(3)


def without_indentation(html: str) -> str:
    """`html` without the spaces that start its lines: the same page to a browser, where no element keeps them."""
    if _KEEPS_SPACES.search(html):
        return html
    return _INDENTATION.sub("\n", html)


_KEEPS_SPACES = re.compile(r"<(?:pre|textarea)\b", re.I)
_INDENTATION = re.compile(r"\n\s+")
