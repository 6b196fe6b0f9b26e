"""Nothing on a page moves when its scripts run (issue #16: Lighthouse's cumulative layout shift).

Maps, the finder's form and answers, the print and « Ma sélection » buttons are shown by
scripts; their places are kept from the first paint (passerelle.css, html.js set in <head>).
Every page type of the real site is opened on a phone, its maps drawn and its finder's answers
shown, and the layout shifts the browser recorded (PerformanceObserver, buffered) are summed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import PHONE
from tests.browser.gate import browser_site, page_types, tile_host

# The finder opened by a shared link: its answers come after the page is painted.
FINDER_ANSWER = "trouver/?type=gem&cp=75011"
# A shift this small is invisible (Lighthouse's « good » is under 0.1, for the whole visit).
TOLERANCE = 0.005

LAYOUT_SHIFTS = """() => new Promise(done => {
  const shifts = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      const moved = entry.sources.map(s => s.node ? `${s.node.nodeName}.${s.node.className}` : "?");
      shifts.push(`${entry.value.toFixed(3)} at ${Math.round(entry.startTime)} ms: ${moved.join(", ")}`);
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(shifts), 300);
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return browser_site(tmp_path_factory)


def test_no_layout_shift_on_a_phone(site, serve_site, page_at):
    base = serve_site(site)
    paths = {**page_types(site), "trouver, réponse": FINDER_ANSWER}
    failures = []
    for name, path in paths.items():
        page = page_at(base + path, viewport=PHONE, allow_hosts={tile_host()})
        # Every map drawn, the finder's answers shown (both return at once on other pages).
        page.wait_for_selector("[data-pa-map]:not([data-ready=true])", state="detached")
        page.wait_for_selector("#pa-finder-results[aria-busy]", state="detached")
        shifts = page.evaluate(LAYOUT_SHIFTS)
        total = sum(float(shift.split(" ")[0]) for shift in shifts)
        if total > TOLERANCE:
            failures.append(f"--- {name} (/{path}): {total:.3f}\n" + "\n".join(shifts))
        page.context.close()
    assert not failures, "\n".join(failures)
