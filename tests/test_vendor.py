"""The vendored front-end assets: every folder listed, with its version and its licence file.

``plekken/static/vendor/README.md`` is the one place that says which package and version each
folder holds and under which licence; these tests keep that table true.
"""

from __future__ import annotations

import re

from tests.conftest import ROOT

VENDOR = ROOT / "plekken" / "static" / "vendor"


def vendor_table() -> dict[str, dict[str, str]]:
    rows = {}
    for line in (VENDOR / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`") and cells[0].endswith("/`"):
            folder = cells[0].strip("`/")
            licence_files = re.findall(r"`([^`]+)`", cells[4])
            rows[folder] = {"package": cells[1], "version": cells[2], "licence": licence_files}
    return rows


def test_every_vendored_folder_is_listed_with_a_licence_file():
    table = vendor_table()
    folders = {path.name for path in VENDOR.iterdir() if path.is_dir()}
    assert folders == set(table), "list each folder of static/vendor in its README table"
    for folder, row in table.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", row["version"]), folder
        assert row["licence"], f"{folder}: name the licence file"
        for name in row["licence"]:
            assert (VENDOR / name).is_file(), f"{folder}: licence file {name} is missing"


def test_listed_leaflet_version_is_the_vendored_one():
    header = (VENDOR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")[:200]
    assert f"Leaflet {vendor_table()['leaflet']['version']}," in header
