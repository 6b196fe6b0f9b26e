"""The FINESS+ JSON export published by the ANS.

github.com/ansforge/finess, ``flux/out/data.gouv/structure``, schema v1.0.0:
``generatedAt``, then ``pmej``, the legal entities (EJ:
``informationsGeneralesPMEJ.denominationLonguePmSmsse`` is the gestionnaire), each
with its ``ege`` — the establishments: ``informationsGeneralesEGE.numFinessEge``,
``nomEgeLong``, ``dateFermeture``; ``categorieentiteGeographiqueExercice`` (same codes
as the etalab ``categetab``); ``etatObjet`` (``A`` active, ``I`` inactive);
``adresse[]`` (``ligneQuatre`` is the street line, ``codePostal``, ``cogCommune`` the
INSEE code, ``coordonneesGeographique``); ``contact[].telecom.telephone``. The WGS84
``directionLatitude``/``directionLongitude`` are used; ``coordonneeX``/``Y`` are not:
in the published files they hold Lambert-93 northing and easting swapped
(Bourg-en-Bresse: X 6570414, Y 873766), as reported in ansforge/finess issue #24.

A daily file may be an excerpt, so absence means nothing there: only
``etatObjet: I`` or a ``dateFermeture`` closes an establishment.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from generator.importers.finess.coordinates import wgs84_point
from generator.importers.finess.extraction import Establishment, Extraction, FinessError, clean, street
from generator.importers.shared import departement_of

SOURCE = (
    "FINESS+ — flux « Structures » (open data)",
    "https://github.com/ansforge/finess/tree/main/flux/out/data.gouv/structure",
)


def read_finess_plus(data: dict[str, Any], wanted: set[str]) -> Extraction:
    """The establishments of the `wanted` categories in a parsed FINESS+ file."""
    try:
        extraction_date = date.fromisoformat(str(data["generatedAt"])[:10])
        legal_entities = data["pmej"]
    except (KeyError, ValueError, TypeError):
        raise FinessError("ce n'est pas un export FINESS+ : « generatedAt » et « pmej » sont attendus") from None
    establishments = []
    present = set()
    covered = set()
    for entity in legal_entities:
        general = entity.get("informationsGeneralesPMEJ") or {}
        gestionnaire = clean(general.get("denominationLonguePmSmsse") or general.get("denominationPm") or "") or None
        for ege in entity.get("ege") or []:
            info = ege.get("informationsGeneralesEGE") or {}
            number = str(info.get("numFinessEge", "")).strip()
            present.add(number)
            address = _main_address(ege.get("adresse") or [])
            insee = (address.get("cogCommune") or "").strip() or None
            covered.add(departement_of(insee) if insee else "")
            category = str(ege.get("categorieentiteGeographiqueExercice", "")).strip()
            if category not in wanted:
                continue
            establishments.append(
                Establishment(
                    finess=number,
                    nom=clean(info.get("nomEgeLong") or info.get("nomEgeCourt") or ""),
                    categorie=category,
                    departement=departement_of(insee) if insee else "",
                    gestionnaire=gestionnaire,
                    voie=clean(address.get("ligneQuatre") or "")
                    or street(
                        address.get("numeroVoie"),
                        address.get("complementVoie"),
                        address.get("typeVoie"),
                        address.get("libelleVoie"),
                        address.get("lieuDit"),
                    ),
                    code_postal=(address.get("codePostal") or "").strip() or None,
                    code_insee=insee,
                    localite=clean(address.get("ligneAcheminement") or ""),
                    telephone=next(
                        (c["telecom"]["telephone"] for c in ege.get("contact") or [] if (c.get("telecom") or {}).get("telephone")), None
                    ),
                    position=_position(address.get("coordonneesGeographique") or {}),
                    ferme=ege.get("etatObjet") == "I" or bool(info.get("dateFermeture")),
                )
            )
    if not present:
        raise FinessError("aucun établissement (« ege ») dans « pmej » : le fichier est vide ou coupé — téléchargez-le à nouveau")
    return Extraction(extraction_date, SOURCE, establishments, frozenset(present), complete=False, departements=frozenset(covered - {""}))


def _main_address(addresses: list[dict[str, Any]]) -> dict[str, Any]:
    # Usage 03 is the establishment's own address (02: the legal entity's).
    return next((a for a in addresses if a.get("usageAdresse") == "03"), addresses[0] if addresses else {})


def _position(point: dict[str, Any]) -> tuple[float, float] | None:
    try:
        lat, lon = float(point["directionLatitude"]), float(point["directionLongitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return wgs84_point(lat, lon)
