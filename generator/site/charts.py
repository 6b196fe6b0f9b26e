"""Geometry of the charts drawn at build time as SVG (templates `_charts.html`).

No chart library and no script: a chart is a few numbers the template turns
into rectangles, and the template shows the same numbers in a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Metropolitan France and Corsica; overseas communes are left off the map, not the figures.
LAT_RANGE = (41.2, 51.2)
LON_RANGE = (-5.3, 9.7)
CELL_LAT = 0.2  # degrees: about 22 km
CELL_LON = CELL_LAT / math.cos(math.radians(46.5))  # square cells in the middle of France
CELL_UNITS = 8  # SVG units per cell


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written in the chart and its table


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    maximum: float | None = None  # default: the largest value
    note: str = ""  # what the figures leave out, said under the chart

    def fraction(self, bar: Bar) -> float:
        top = self.maximum if self.maximum is not None else max((b.value for b in self.bars), default=0)
        return bar.value / top if top else 0.0


@dataclass(frozen=True)
class Run:
    """Adjacent map cells of one row with the same status, drawn as one rectangle."""

    x: int
    y: int
    width: int
    far: bool


@dataclass(frozen=True)
class GridMap:
    width: int
    height: int
    runs: list[Run]
    far_cells: int
    cells: int


def grid_map(lat_lon: np.ndarray, population: np.ndarray, far: np.ndarray) -> GridMap:
    """An equirectangular grid map of metropolitan France.

    Rows of `lat_lon`, `population` and `far` are communes. A cell is "far" when
    at least half of its inhabitants (communes without inhabitants count as
    one) live beyond the threshold.
    """
    lat, lon = lat_lon[:, 0], lat_lon[:, 1]
    inside = (lat >= LAT_RANGE[0]) & (lat < LAT_RANGE[1]) & (lon >= LON_RANGE[0]) & (lon < LON_RANGE[1])
    rows = math.ceil((LAT_RANGE[1] - LAT_RANGE[0]) / CELL_LAT)
    cols = math.ceil((LON_RANGE[1] - LON_RANGE[0]) / CELL_LON)
    row = ((LAT_RANGE[1] - lat[inside]) / CELL_LAT).astype(int)
    col = ((lon[inside] - LON_RANGE[0]) / CELL_LON).astype(int)
    cell = row * cols + col
    weight = np.maximum(population[inside], 1)
    total = np.bincount(cell, weight, rows * cols).reshape(rows, cols)
    beyond = np.bincount(cell, weight * far[inside], rows * cols).reshape(rows, cols)
    status = np.where(total > 0, np.where(2 * beyond >= total, 2, 1), 0)  # 0 empty, 1 near, 2 far
    runs = []
    for r in range(rows):
        start = 0
        for c in range(1, cols + 1):
            if c == cols or status[r, c] != status[r, start]:
                if status[r, start]:
                    runs.append(Run(start * CELL_UNITS, r * CELL_UNITS, (c - start) * CELL_UNITS, bool(status[r, start] == 2)))
                start = c
    return GridMap(cols * CELL_UNITS, rows * CELL_UNITS, runs, int((status == 2).sum()), int((status > 0).sum()))
