"""QR codes for printed record sheets: the matrix as one compact SVG path.

The `qrcode` library computes the matrix; the SVG element itself is written by
a template (`slots/record_footer.html`), with the path data made here: one
rectangle per horizontal run of dark modules, a few hundred bytes per code.
Every record page gets one, so the mask is fixed: letting the library try all
eight masks costs about four times more and only helps damaged codes, not
clean printouts.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white margin required around the code by the standard


@dataclass(frozen=True)
class QrCode:
    size: int  # modules per side, quiet zone included
    path: str  # SVG path data of the dark modules


def qr_code(text: str) -> QrCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(text)
    code.make(fit=True)
    parts = []
    for y, row in enumerate(code.get_matrix(), start=QUIET_ZONE):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start + QUIET_ZONE} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return QrCode(code.modules_count + 2 * QUIET_ZONE, "".join(parts))
