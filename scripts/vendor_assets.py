"""Copy the browser libraries (maps, QR code, the records editor) from their npm packages into the theme, to be served by the site itself.

Run it by hand when upgrading a version (it needs the npm registry):

    python3 scripts/vendor_assets.py

The result under `site_theme/assets/vendor/` is committed, so building the site
never touches the network and visitors' browsers never call a CDN.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "site_theme" / "assets" / "vendor"

# package, pinned version, folder under vendor/, files copied from the package (paths inside it).
PACKAGES = [
    (
        "leaflet",
        "1.9.4",
        "leaflet",
        [
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
            "LICENSE",
        ],
    ),
    (
        "leaflet.markercluster",
        "1.5.3",
        "leaflet-markercluster",
        ["dist/leaflet.markercluster.js", "dist/MarkerCluster.css", "MIT-LICENCE.txt"],
    ),
    ("qrcode-generator", "2.0.4", "qrcode-generator", ["dist/qrcode.js"]),
    # The editor of /admin/: the main bundle, the chunks and WebAssembly modules it loads on
    # demand from its own folder, and the licence notices of the libraries it bundles.
    (
        "decap-cms",
        "3.16.3",
        "decap-cms",
        ["dist/decap-cms.js", "dist/*.decap-cms.js", "dist/*.wasm", "dist/decap-cms.js.LICENSE.txt"],
    ),
]
# Packages that ship no licence file: their licence notice is the opening comment of this file.
LICENCE_IN_HEADER = {"qrcode-generator": "dist/qrcode.js"}
# Packages that ship no licence file but declare one in package.json (the bundled libraries'
# notices are in a file of their own, copied too).
LICENCE_DECLARED = {"decap-cms": "MIT"}


def vendor(package: str, version: str, folder: str, files: list[str], work: Path) -> None:
    # `npm pack` fetches the published tarball and checks it against the registry's integrity hash.
    output = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--json", "--pack-destination", str(work)],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tarball = work / json.loads(output)[0]["filename"]
    unpacked = work / folder
    with tarfile.open(tarball) as archive:
        archive.extractall(unpacked, filter="data")
    target = VENDOR / folder
    shutil.rmtree(target, ignore_errors=True)
    package_dir = unpacked / "package"
    for pattern in files:
        for source in sorted(package_dir.glob(pattern)):
            name = source.relative_to(package_dir).as_posix()
            destination = target / Path(name).relative_to("dist") if name.startswith("dist/") else target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    if package in LICENCE_IN_HEADER:
        (target / "LICENSE").write_text(header_comment(unpacked / "package" / LICENCE_IN_HEADER[package]), encoding="utf-8")
    if package in LICENCE_DECLARED:
        manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
        if manifest["license"] != LICENCE_DECLARED[package]:
            raise SystemExit(f"{package}@{version} now declares the licence {manifest['license']}: check it before vendoring")
        (target / "LICENSE").write_text(
            f"{package}@{version} is published under the {manifest['license']} licence (its package.json; {manifest['repository']['url']}).\n"
            "The licences of the libraries it bundles are in decap-cms.js.LICENSE.txt.\n",
            encoding="utf-8",
        )
    (target / "VERSION").write_text(f"{package}@{version} (npm)\n", encoding="utf-8")
    print(f"{package}@{version} → {target.relative_to(ROOT)}")


def header_comment(source: Path) -> str:
    """The leading `//` comment block of a JavaScript file, without the comment markers and rules."""
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.startswith("//"):
            break
        text = line[2:].removeprefix(" ")
        if not (text and set(text) == {"-"}):
            lines.append(text)
    return "\n".join(lines).strip() + "\n"


def main(names: list[str]) -> None:
    """Vendor every package, or only those named on the command line."""
    with tempfile.TemporaryDirectory() as tmp:
        for package, version, folder, files in PACKAGES:
            if not names or package in names:
                vendor(package, version, folder, files, Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
