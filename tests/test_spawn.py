"""Worker processes as Windows starts them: `spawn`, and no `fork` at all.

On Windows (and by default on macOS) a worker process starts empty and gets its work only
through its arguments and initializer. Here every parallel path runs in a child Python whose
sitecustomize forces `spawn` and makes asking for `fork`/`forkserver` fail, as it does there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_xl.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent

WINDOWS_LIKE = '''
import multiprocessing
multiprocessing.set_start_method("spawn", force=True)
_orig = multiprocessing.get_context
def _ctx(method=None):
    if method in ("fork", "forkserver"):
        raise ValueError(f"cannot find context for {method!r}")
    return _orig(method)
multiprocessing.get_context = _ctx
'''


@pytest.fixture
def windows_like(tmp_path):
    """Run Python as on Windows: returns run(*args) -> CompletedProcess."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(WINDOWS_LIKE, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT), str(ROOT / "udfs")]))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, encoding="utf-8", timeout=300)  # fmt: skip

    return run


def test_the_child_python_really_has_no_fork(windows_like):
    probe = windows_like("-c", "import multiprocessing as m; print(m.get_start_method()); m.get_context('fork')")
    assert probe.stdout.strip() == "spawn"
    assert "cannot find context for 'fork'" in probe.stderr


def test_demo_and_a_large_collect_run_with_spawn_only(windows_like, tmp_path):
    out = tmp_path / "演示 文件夹"  # a Chinese folder name with a space, as on a clerk's desktop
    demo = windows_like("-m", "kpi_xl", "demo", "--out", str(out), "--months", "1", "--workers", "2")
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "Traceback" not in demo.stderr
    assert "2026-01: 82 of 82 staff graded" in demo.stdout  # the forms (in parallel), filled copies, summary

    # the month's blank forms and the returned ones: over 200 workbooks, so collect reads in parallel
    returned = out / "returned" / "2026-01"
    workbooks = list(returned.rglob("*.xlsx")) + list((out / "forms" / "2026-01").rglob("*.xlsx"))
    assert len(workbooks) > 200
    ledger = tmp_path / "ledger.sqlite3"
    shutil.copy(out / "kpi-ledger.sqlite3.key", ledger.with_name("ledger.sqlite3.key"))  # the demo office's key
    collect = windows_like("-m", "kpi_xl", "collect", "--month", "2026-01", str(returned),
                           str(out / "forms" / "2026-01"), "--ledger", str(ledger))  # fmt: skip
    assert collect.returncode == 0, collect.stderr[-2000:]
    assert "Traceback" not in collect.stderr
    with Ledger(ledger) as opened, Ledger(out / "kpi-ledger.sqlite3") as demos:
        # read by spawned workers, recorded exactly as the demo recorded the same forms in one process
        for form in range(1, 7):
            assert opened.values("2026-01", form) == demos.values("2026-01", form)
        assert len(opened.values("2026-01", 3)) == 82
