"""A minimal valid record, for tests that write their own data folders."""

VALID_GEM = """\
type: gem
nom: GEM Exemple
adresse:
  code_postal: "92260"
  commune: Fontenay-aux-Roses
sources:
  - titre: Rapport d'activité
    document: Rapport 2025
    date: "2026-01-15"
verifie_le: 2026-01-15
"""


def gem_named(nom: str) -> str:
    return VALID_GEM.replace("nom: GEM Exemple", f"nom: {nom}")
