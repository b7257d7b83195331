"""LibreOffice headless as the independent spreadsheet engine of the tests.

LibreOffice does not recalculate an .xlsx on load by default; a profile of our own with
OOXMLRecalcMode = 0 (always) makes `--convert-to xlsx` write freshly computed values
(../shared/NOTES.md). One soffice call silently stops after ~247 files, so files go in
batches of at most 200 and every output is checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
BATCH = 200


def soffice_or_skip() -> str:
    """The soffice executable; without it skip locally, but fail under CI=true."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def convert(paths: list[Path], outdir: Path, to: str = "xlsx") -> list[Path]:
    """Recalculate (or render, with to="pdf") every file; returns the outputs in order."""
    soffice = soffice_or_skip()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kpi-lo-profile-") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
        for start in range(0, len(paths), BATCH):
            batch = [str(p) for p in paths[start : start + BATCH]]
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", to, "--outdir", str(outdir), *batch],
                check=True, capture_output=True, timeout=600,
            )  # fmt: skip
    outputs = [outdir / (Path(p).stem + "." + to) for p in paths]
    missing = [str(p) for p in outputs if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return outputs
