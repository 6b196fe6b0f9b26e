"""The decision helper in a real browser: walked with the keyboard only, and checked by axe-core."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from generator.site.orientation import load_tree
from tests.sitebuild import ROOT

TREE = load_tree()
ORIENTATION = [TREE.path(node) for node in [*TREE.questions, *TREE.issues]]
GUIDES = sorted(p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").glob("guides/*.md"))
FALC = sorted(p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").glob("facile/*.md"))


def url_of(docs_path: str) -> str:
    stem = docs_path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def tab_to(page, selector: str, text: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches `selector` and contains `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([selector, text]) => { const e = document.activeElement;"
            " return !!e && e.matches(selector) && e.textContent.replace(/\\s+/g, ' ').includes(text); }",
            [selector, text],
        ):
            return
    raise AssertionError(f"« {text} » ({selector}) never got the keyboard focus after {limit} Tab presses")


def test_walking_the_helper_with_the_keyboard_reaches_the_finder(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at(base + "orientation/")
    for answer, next_url in (("Pour moi", "orientation/besoin/"), ("Rencontrer d'autres personnes", "orientation/rompre-isolement/")):
        tab_to(page, "a.pa-choice", answer)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == base + next_url
    assert page.get_by_role("heading", level=1).inner_text() == TREE.issues["rompre-isolement"].titre
    tab_to(page, ".pa-proposal__find a", "Chercher près de chez vous : GEM")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    address = urlsplit(page.url)
    assert address.path == "/trouver/" and parse_qs(address.query) == {"type": ["gem"]}


def test_the_way_back_and_the_restart_are_plain_links(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at(base + "orientation/travail/")
    tab_to(page, ".pa-orientation-nav a", "Question précédente")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "orientation/besoin/"
    tab_to(page, ".pa-orientation-nav a", "Recommencer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "orientation/"


def test_no_axe_violation_on_the_helper_the_guides_and_the_easy_to_read_pages(
    built_site, serve_site, page_at, axe_violations, format_violations
):
    base = serve_site(built_site)
    page = page_at(base, wait="load")
    found = {}
    for docs_path in ORIENTATION + GUIDES + FALC + ["proposer.md"]:
        page.goto(base + url_of(docs_path), wait_until="load")
        if violations := axe_violations(page):
            found[docs_path] = format_violations(violations)
    assert found == {}, "\n".join(f"{path}: {text}" for path, text in found.items())
