"""`kpi-xl excel-setup` with a fake machine: what it runs, writes and says, and every failure."""

from __future__ import annotations

import subprocess
import types
from pathlib import Path

import pytest

from kpi_xl.errors import KpiError
from kpi_xl.excel.setup import Machine, excel_setup, write_config

PYTHON = r"C:\Python312\python.exe"


class FakeRunner:
    def __init__(self, returncode=0, stderr=""):
        self.calls, self.returncode, self.stderr = [], returncode, stderr

    def __call__(self, command):
        self.calls.append(list(command))
        return subprocess.CompletedProcess(command, self.returncode, "", self.stderr)


def machine(tmp_path, **changes) -> Machine:
    fake_module = types.SimpleNamespace(__file__=r"C:\Python312\Lib\site-packages\kpi_udfs.py")
    defaults = dict(platform="win32", executable=PYTHON, version=(3, 12), config=tmp_path / ".xlwings" / "xlwings.conf",
                    run=FakeRunner(), import_module=lambda name: fake_module)  # fmt: skip
    return Machine(**{**defaults, **changes})


def test_a_good_run_installs_the_addin_and_names_the_module(tmp_path):
    m = machine(tmp_path)
    said = []
    excel_setup(m, said.append)
    assert m.run.calls == [[PYTHON, "-c", "from xlwings.cli import main; main()", "addin", "install"]]
    assert m.config.read_text(encoding="utf-8") == (
        '"UDF MODULES","kpi_udfs"\n' '"INTERPRETER_WIN","C:\\Python312\\pythonw.exe"\n'
    )
    assert said[0] == f"1. Python 3.12 at {PYTHON}: suitable"
    assert said[1] == r"2. the function module kpi_udfs imports from C:\Python312\Lib\site-packages\kpi_udfs.py"
    assert said[2].startswith("3. xlwings add-in installed")
    assert "Import Functions" in said[4] and "Trust access to the VBA project object model" in said[4]
    assert "=KPI_LINEAR(80,70,90,5)" in said[5]


def test_existing_config_is_kept_and_modules_are_added_not_replaced(tmp_path):
    config = tmp_path / "xlwings.conf"
    config.write_text('"LICENSE_KEY","abc"\n"UDF MODULES","my_udfs"\n"INTERPRETER_WIN","C:\\old\\pythonw.exe"\n', encoding="utf-8")
    changes = write_config(config, {"UDF MODULES": "kpi_udfs", "INTERPRETER_WIN": r"C:\new\pythonw.exe"})
    assert config.read_text(encoding="utf-8").splitlines() == [
        '"LICENSE_KEY","abc"', '"UDF MODULES","my_udfs;kpi_udfs"', '"INTERPRETER_WIN","C:\\new\\pythonw.exe"']
    assert changes == ["UDF MODULES set to my_udfs;kpi_udfs (was my_udfs)",
                       r"INTERPRETER_WIN set to C:\new\pythonw.exe (was C:\old\pythonw.exe)"]  # fmt: skip
    assert write_config(config, {"UDF MODULES": "kpi_udfs"}) == []  # a second run changes nothing


@pytest.mark.parametrize(("changes", "message"), [
    (dict(platform="linux"), "the Excel add-in needs Excel on Windows, and this is this system; on a Mac or in Excel "
     "on the web use the xlwings Lite bundle (`kpi-xl lite`), or the no-Python LAMBDA workbook (`kpi-xl lambdas`)"),
    (dict(version=(3, 10)), "Python 3.10 is too old: kpi-xl needs 3.11 or newer; install it from python.org and run "
     "the installer again"),
    (dict(executable=r"C:\Users\a\AppData\Local\Microsoft\WindowsApps\python.exe"),
     "C:\\Users\\a\\AppData\\Local\\Microsoft\\WindowsApps\\python.exe is the Microsoft Store Python, which Excel "
     "cannot start (\"Could not activate Python COM server\"); install Python from python.org and run the installer again"),
    (dict(import_module=lambda name: (_ for _ in ()).throw(ImportError("No module named 'kpi_udfs'"))),
     "the function module kpi_udfs does not import (No module named 'kpi_udfs'); reinstall with "
     "`pip install --force-reinstall kpi-xl`"),
    (dict(run=FakeRunner(1, "Traceback...\nPermissionError: [Errno 13] xlwings.xlam is in use")),
     "`xlwings addin install` failed (exit 1: PermissionError: [Errno 13] xlwings.xlam is in use); close every "
     "Excel window and run the installer again"),
])  # fmt: skip
def test_each_failure_stops_with_the_reason_and_the_fix(tmp_path, changes, message):
    m = machine(tmp_path, **changes)
    with pytest.raises(KpiError) as caught:
        excel_setup(m, lambda line: None)
    assert str(caught.value) == message
    assert not m.config.exists()  # nothing half-done


def test_the_installer_scripts_stay_thin():
    root = Path(__file__).resolve().parent.parent / "install"
    script = (root / "install.ps1").read_text(encoding="utf-8")
    assert "-m kpi_xl excel-setup" in script and "WindowsApps" in script and "pip install" in script
    assert "install.ps1" in (root / "install.bat").read_text(encoding="utf-8")
