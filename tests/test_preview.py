"""The preview's promise, without a server: no page is served as up to date while an edit waits for its rebuild.

tests/browser/test_serve.py drives a real `mkdocs serve`; here, the moment a browser
cannot be made to hit on purpose: an edit saved while a build runs.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

from generator.engines.mkdocs.preview import Preview


def _preview(tmp_path) -> Preview:
    preview = Preview()
    preview.server = SimpleNamespace(_rebuild_cond=threading.Condition(), _want_rebuild=False)
    preview.data_dir = tmp_path
    return preview


def test_an_edit_saved_during_a_full_build_keeps_pages_waiting_for_the_next_rebuild(tmp_path):
    preview = _preview(tmp_path)
    edited = tmp_path / "gem" / "gem-beta.yaml"
    preview.full_builder = lambda: preview._record([str(edited)])  # saved while the build reads the folder
    preview._full_build()
    assert not preview.settled, "the pages the build wrote are older than the data"
    assert preview.server._want_rebuild, "the build loop is woken for the edit"

    preview.full_builder = lambda: None
    preview.rebuild()  # the rebuild the edit called for (a full one: no site was written)
    assert preview.settled


def test_a_full_build_with_no_edit_meanwhile_settles(tmp_path):
    preview = _preview(tmp_path)
    preview.full_builder = lambda: None
    preview._unsettle()
    preview._full_build()
    assert preview.settled
    assert not preview.server._want_rebuild


def test_the_hidden_file_a_record_is_written_through_wakes_nothing(tmp_path):
    """The editor writes `.x.yaml.ecriture`, then renames it over `x.yaml`: only the renaming is an edit."""
    preview = _preview(tmp_path)
    folder = tmp_path / "gem"
    assert preview._record([str(folder / ".gem-beta.yaml.ecriture")]) is False
    assert preview.settled and not preview.changes
    assert preview._record([str(folder / ".gem-beta.yaml.ecriture"), str(folder / "gem-beta.yaml")]) is True
    assert preview.changes == {folder / "gem-beta.yaml"} and not preview.settled
