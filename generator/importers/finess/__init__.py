"""Import ESMS records from FINESS, the national register of health and social establishments.

`passerelle import finess FILE` reads either format FINESS is published in, keeps the
medico-social categories of this directory, and writes or updates one
`data/esms/<id>.yaml` each. One module a job:

- `etalab.py` reads the historical etalab CSV extraction (a full stock);
- `finess_plus.py` reads the FINESS+ JSON export of the ANS (possibly an excerpt);
- `extraction.py` is what both give (`Extraction`, `Establishment`), and the address text they share;
- `coordinates.py` converts the etalab file's coordinate systems (Lambert-93, overseas UTM) to WGS84;
- `importer.py` decides which records to add, update or close, and writes them with the
  YAML merge that keeps hand edits (generator/records/yamlmerge.py).
"""

from generator.importers.finess.coordinates import crs_of
from generator.importers.finess.extraction import Establishment, Extraction, FinessError
from generator.importers.finess.importer import CATEGORIES, import_finess, read_extraction

__all__ = ["CATEGORIES", "Establishment", "Extraction", "FinessError", "crs_of", "import_finess", "read_extraction"]
