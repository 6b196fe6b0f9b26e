"""A minimal valid record, for tests that write their own data folders."""

from bench.synthetic import verified_recently

# Verified a month before the run's day (tests/conftest.py sets it for the whole run): a fixed day would fall
# due for re-verification a year later, and the pages built from the record would say « à confirmer ».
VERIFIED = verified_recently()

VALID_GEM = f"""\
type: gem
nom: GEM Exemple
adresse:
  code_postal: "92260"
  commune: Fontenay-aux-Roses
sources:
  - titre: Rapport d'activité
    document: Rapport 2025
    date: "{VERIFIED}"
verifie_le: {VERIFIED}
"""


def gem_named(nom: str) -> str:
    return VALID_GEM.replace("nom: GEM Exemple", f"nom: {nom}")
