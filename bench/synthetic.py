"""Synthetic records for benchmarks and tests — never for `data/`.

Every record is marked as synthetic in its name, description and source, and is
placed in a real commune of the gazetteer so that geography, maps and the
finder do real work. Generation is deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path

from generator.geo.gazetteer import Gazetteer
from generator.records.vocabulary import CategorieEsms, CategorieRessource, Kind

# Roughly the national proportions: ESMS dominate, then GEM and CLSM.
KIND_WEIGHTS = {Kind.ESMS: 80, Kind.GEM: 10, Kind.CLSM: 5, Kind.EMPLOYEUR: 2, Kind.RESSOURCE: 2, Kind.COLLECTIF: 1}
DESCRIPTION = (
    "Fiche SYNTHÉTIQUE générée pour les mesures de performance : cette structure n'existe pas. "
    "Elle occupe la place d'une vraie présentation de quelques lignes, avec ses horaires, son public "
    "et ses conditions d'accès, pour que les pages aient une taille réaliste."
)


def write_records(data_dir: Path, n: int, seed: int = 0) -> list[Path]:
    """Write `n` synthetic records under `data_dir/<kind>/`; return their paths."""
    rng = random.Random(seed)
    communes = [c for c in Gazetteer.load().communes() if c.codes_postaux]
    weights = [max(c.population, 50) for c in communes]
    kinds = list(KIND_WEIGHTS)
    paths = []
    for index, (kind, commune) in enumerate(
        zip(rng.choices(kinds, [KIND_WEIGHTS[k] for k in kinds], k=n), rng.choices(communes, weights, k=n), strict=True)
    ):
        record_id = f"synthetique-{kind.value}-{index:06d}"
        path = data_dir / kind.value / f"{record_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_record(kind, index, commune, rng), encoding="utf-8")
        paths.append(path)
    return paths


def _record(kind: Kind, index: int, commune, rng: random.Random) -> str:
    lines = [
        f"type: {kind.value}",
        f'nom: "SYNTHÉTIQUE {kind.label} n°{index}"',
        f'description: "{DESCRIPTION}"',
        "statut: actif",
        "adresse:",
        f'  voie: "{rng.randint(1, 120)} rue de l\'Exemple"',
        f'  code_postal: "{commune.codes_postaux[0]}"',
        f'  commune: "{commune.nom}"',
        f'  code_insee: "{commune.insee}"',
        'horaires: "Mo-Fr 09:00-17:00"',
        "publics: [troubles_psychiques]",
    ]
    if kind == Kind.ESMS:
        lines += [f"categorie: {rng.choice(list(CategorieEsms)).value}", "acces: [notification_cdaph]", f"capacite: {rng.randint(10, 90)}"]
    elif kind == Kind.RESSOURCE:
        lines.append(f"categorie: {rng.choice(list(CategorieRessource)).value}")
    elif kind == Kind.EMPLOYEUR:
        lines += ["type_employeur: entreprise", "engagements: [stages, recrutement]"]
    elif kind == Kind.CLSM:
        lines += ["territoire:", f'  communes: ["{commune.insee}"]', "instances: [assemblee_pleniere, comite_de_pilotage]"]
    else:
        lines.append("acces: [sans_orientation, adhesion]")
    lines += [
        "sources:",
        '  - titre: "Donnée synthétique (bench/synthetic.py)"',
        '    document: "Générée pour les tests et les mesures ; ne décrit aucune structure réelle."',
        '    date: "2026-01-01"',
        "verifie_le: 2026-01-01",
    ]
    return "\n".join(lines) + "\n"
