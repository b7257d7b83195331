"""`kpi-xl excel-setup`: make the KPI functions available in desktop Excel on Windows.

Run in the Python that kpi-xl is installed in (the installer, install/install.bat, makes
one and runs this in it; see kpi_xl/excel/install.py). Each step prints what it did and
checks its result rather than trusting an exit status; a failure stops with the reason and
the fix (exit status 1):
  1. this Python: 3.11 or newer, not the Microsoft Store build (Excel cannot start it);
  2. the function module `kpi_udfs` imports;
  3. xlwings' DLL is where the add-in loads it from: beside the interpreter or one folder up
     (xlwings/addin/Main.bas; xlwings issue #1803);
  4. `xlwings addin install`, then the add-in must be in Excel's start-up folder (XLSTART):
     the command exits 0 even when it failed; if it is not there it is copied there;
  5. "UDF Modules" and this interpreter in the user's xlwings.conf, in the ANSI code page;
  6. the workbook KPI函数.xlsm with the VBA reference to xlwings, in Documents\\kpi-xl;
  7. what is left to click in Excel.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .._util.paths import write_atomic
from ..errors import KpiError
from . import xlwings_conf
from .catalog import UDF_MODULE
from .machine import Machine

REINSTALL = "run install\\install.bat again (it installs kpi-xl into an environment of its own in your user folder)"


def check_python(m: Machine) -> None:
    if not m.platform.startswith("win"):
        where = "macOS" if m.platform == "darwin" else "this system"
        raise KpiError(
            f"the Excel add-in needs Excel on Windows, and this is {where}; on a Mac or in Excel on the "
            "web use the xlwings Lite bundle (`kpi-xl lite`), or the no-Python LAMBDA workbook (`kpi-xl lambdas`)"
        )
    if m.version < (3, 11):
        raise KpiError(f"Python {m.version[0]}.{m.version[1]} is too old: kpi-xl needs 3.11 or newer; "
                       "install it from python.org and run the installer again")  # fmt: skip
    if "windowsapps" in m.executable.lower():
        raise KpiError(f"{m.executable} is the Microsoft Store Python, which Excel cannot start "
                       "(\"Could not activate Python COM server\"); install Python from python.org "
                       "and run the installer again")  # fmt: skip


def excel_setup(machine: Machine | None = None, say: Callable[[str], None] = print) -> None:
    m = machine or Machine()
    check_python(m)
    say(f"1. Python {m.version[0]}.{m.version[1]} at {m.executable}: suitable")

    try:
        module = m.import_module(UDF_MODULE)
    except ImportError as exc:
        raise KpiError(f"the function module {UDF_MODULE} does not import ({exc}); {REINSTALL}") from None
    say(f"2. the function module {UDF_MODULE} imports from {getattr(module, '__file__', '?')}")
    if m.xlwings_dir is None or not m.xlwings_version:
        raise KpiError(f"xlwings is not installed in this Python ({m.executable}); {REINSTALL}")

    # pythonw.exe beside python.exe: Excel starts it without a console window
    interpreter = Path(m.executable).with_name("pythonw.exe")
    say(f"3. {place_dll(m, interpreter.parent)}")
    say(f"4. {install_addin(m)}")
    changed = xlwings_conf.update(m.config, {"UDF MODULES": UDF_MODULE, "INTERPRETER_WIN": str(interpreter)}, m.ansi)
    say(f"5. {m.config}: " + ("; ".join(changed) if changed else "already set up, nothing changed")
        + f" (code page {m.ansi}, as Excel's add-in reads it)")  # fmt: skip
    say(f"6. {write_workbook(m)}")
    say("7. In Excel, once: open KPI函数.xlsm and click Enable Content; File › Options › Trust Center › "
        "Trust Center Settings › Macro Settings: tick \"Trust access to the VBA project object model\"; "
        "on the xlwings tab click Import Functions, then press Ctrl+Alt+F9. Column C now shows what "
        "column D expects (=KPI_LINEAR(80,70,90,5) gives 2.5). Save your own workbooks from it with "
        "Save As (.xlsm): the functions and the reference to xlwings go along.")  # fmt: skip


def dll_names(m: Machine) -> list[str]:
    # the add-in loads the DLL of Excel's bitness, which may differ from Python's: both ship in the wheel
    return [f"xlwings{bits}-{m.xlwings_version}.dll" for bits in (64, 32)]


def place_dll(m: Machine, interpreter_folder: Path) -> str:
    """Make sure xlwings' DLL is where the add-in loads it from (Main.bas: LoadLibrary of the
    interpreter's folder, then the folder above, as in an environment)."""
    looked = [interpreter_folder, interpreter_folder.parent]
    missing = []
    for name in dll_names(m):
        if any((folder / name).is_file() for folder in looked):
            continue
        elsewhere = next((folder / name for folder in m.data_folders if (folder / name).is_file()), None)
        if elsewhere is None:
            missing.append(name)
            continue
        try:  # pip put it under %APPDATA%\Python (a --user install): xlwings issue #1803
            shutil.copyfile(elsewhere, interpreter_folder / name)
        except OSError as exc:
            raise KpiError(f"xlwings' {name} is in {elsewhere.parent}, where Excel's add-in does not look, and "
                           f"cannot be copied to {interpreter_folder} ({exc.strerror or exc}); {REINSTALL}") from None  # fmt: skip
    if len(missing) == len(dll_names(m)):
        raise KpiError(f"xlwings' DLL ({' or '.join(missing)}) is in none of {', '.join(map(str, looked))}; "
                       f"an antivirus program may have removed it: {REINSTALL}")  # fmt: skip
    return f"xlwings' DLL is where the add-in loads it from ({' or '.join(map(str, looked))})"


def install_addin(m: Machine) -> str:
    """`xlwings addin install`, checked by its result: the add-in file in XLSTART."""
    assert m.xlwings_dir is not None
    source = m.xlwings_dir / "addin" / "xlwings.xlam"
    target = m.xlstart / "xlwings.xlam"
    done = m.run([m.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"])
    if _same_file(source, target):
        return f"xlwings add-in installed in {m.xlstart} (the xlwings tab appears when Excel starts)"
    printed = (done.stderr or done.stdout or "").strip().splitlines()
    said = f"`xlwings addin install` did not install it ({printed[-1] if printed else f'exit {done.returncode}'})"
    try:
        m.xlstart.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as exc:
        raise KpiError(f"{said}, and copying {source} to {target} failed ({exc.strerror or exc}); close every "
                       "Excel window and run the installer again") from None  # fmt: skip
    if not _same_file(source, target):
        raise KpiError(f"{said}, and {target} is still not the add-in; close every Excel window and run "
                       "the installer again")  # fmt: skip
    return f"{said}; copied the add-in to {m.xlstart} instead (the xlwings tab appears when Excel starts)"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def write_workbook(m: Machine) -> str:
    """KPI函数.xlsm in Documents\\kpi-xl, unless one is there already that someone may have used."""
    from ..policy import policy_from_env
    from .functions_workbook import FILE_NAME, functions_workbook, quickstart_vba_project

    assert m.xlwings_dir is not None
    target = m.documents / "kpi-xl" / FILE_NAME
    data = functions_workbook(quickstart_vba_project(m.xlwings_dir), policy_from_env())  # as the functions
    if target.exists():
        if target.read_bytes() == data:
            return f"{target} is ready (unchanged)"
        return f"{target} is kept as it is (it was changed since it was made; delete it to get a fresh one)"
    write_atomic(target, data)
    return f"wrote {target}: the workbook with the reference to xlwings, examples and these steps"
