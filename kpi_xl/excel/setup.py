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

from .._util.i18n import _
from .._util.paths import write_atomic
from ..errors import KpiError
from . import xlwings_conf
from .catalog import UDF_MODULE
from .machine import Machine


def reinstall() -> str:
    return _("run install\\install.bat again (it installs kpi-xl into an environment of its own in your user folder)")


def check_python(m: Machine) -> None:
    if not m.platform.startswith("win"):
        where = "macOS" if m.platform == "darwin" else _("this system")
        raise KpiError(
            _("the Excel add-in needs Excel on Windows, and this is {where}; on a Mac or in Excel on the "
              "web use the xlwings Lite bundle (`kpi-xl lite`), or the no-Python LAMBDA workbook (`kpi-xl lambdas`)"
              ).format(where=where)
        )
    if m.version < (3, 11):
        raise KpiError(_("Python {version} is too old: kpi-xl needs 3.11 or newer; "
                         "install it from python.org and run the installer again"
                         ).format(version=f"{m.version[0]}.{m.version[1]}"))  # fmt: skip
    if "windowsapps" in m.executable.lower():
        raise KpiError(_("{python} is the Microsoft Store Python, which Excel cannot start "
                         "(\"Could not activate Python COM server\"); install Python from python.org "
                         "and run the installer again").format(python=m.executable))  # fmt: skip


def excel_setup(machine: Machine | None = None, say: Callable[[str], None] = print) -> None:
    m = machine or Machine()
    check_python(m)
    say(_("1. Python {version} at {python}: suitable").format(version=f"{m.version[0]}.{m.version[1]}", python=m.executable))

    try:
        module = m.import_module(UDF_MODULE)
    except ImportError as exc:
        raise KpiError(_("the function module {module} does not import ({error}); {advice}").format(
            module=UDF_MODULE, error=exc, advice=reinstall())) from None
    say(_("2. the function module {module} imports from {file}").format(module=UDF_MODULE, file=getattr(module, "__file__", "?")))
    if m.xlwings_dir is None or not m.xlwings_version:
        raise KpiError(_("xlwings is not installed in this Python ({python}); {advice}").format(python=m.executable, advice=reinstall()))

    # pythonw.exe beside python.exe: Excel starts it without a console window
    interpreter = Path(m.executable).with_name("pythonw.exe")
    say(f"3. {place_dll(m, interpreter.parent)}")
    say(f"4. {install_addin(m)}")
    changed = xlwings_conf.update(m.config, {"UDF MODULES": UDF_MODULE, "INTERPRETER_WIN": str(interpreter)}, m.ansi)
    say(_("5. {config}: {changes} (code page {ansi}, as Excel's add-in reads it)").format(
        config=m.config, changes="; ".join(changed) if changed else _("already set up, nothing changed"), ansi=m.ansi))
    say(f"6. {write_workbook(m)}")
    say(_("7. In Excel, once: open KPI函数.xlsm and click Enable Content; File › Options › Trust Center › "
          "Trust Center Settings › Macro Settings: tick \"Trust access to the VBA project object model\"; "
          "on the xlwings tab click Import Functions, then press Ctrl+Alt+F9. Column C now shows what "
          "column D expects (=KPI_LINEAR(80,70,90,5) gives 2.5). Save your own workbooks from it with "
          "Save As (.xlsm): the functions and the reference to xlwings go along."))  # fmt: skip


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
            raise KpiError(_("xlwings' {dll} is in {folder}, where Excel's add-in does not look, and "
                             "cannot be copied to {target} ({error}); {advice}").format(
                dll=name, folder=elsewhere.parent, target=interpreter_folder, error=exc.strerror or exc, advice=reinstall())) from None  # fmt: skip
    if len(missing) == len(dll_names(m)):
        raise KpiError(_("xlwings' DLL ({dlls}) is in none of {folders}; an antivirus program may have removed it: {advice}"
                         ).format(dlls=_(" or ").join(missing), folders=", ".join(map(str, looked)), advice=reinstall()))  # fmt: skip
    return _("xlwings' DLL is where the add-in loads it from ({folders})").format(folders=_(" or ").join(map(str, looked)))


def install_addin(m: Machine) -> str:
    """`xlwings addin install`, checked by its result: the add-in file in XLSTART."""
    assert m.xlwings_dir is not None
    source = m.xlwings_dir / "addin" / "xlwings.xlam"
    target = m.xlstart / "xlwings.xlam"
    done = m.run([m.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"])
    if _same_file(source, target):
        return _("xlwings add-in installed in {folder} (the xlwings tab appears when Excel starts)").format(folder=m.xlstart)
    printed = (done.stderr or done.stdout or "").strip().splitlines()
    said = _("`xlwings addin install` did not install it ({output})").format(
        output=printed[-1] if printed else _("exit {code}").format(code=done.returncode))
    try:
        m.xlstart.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as exc:
        raise KpiError(_("{failed}, and copying {source} to {target} failed ({error}); close every "
                         "Excel window and run the installer again").format(
            failed=said, source=source, target=target, error=exc.strerror or exc)) from None  # fmt: skip
    if not _same_file(source, target):
        raise KpiError(_("{failed}, and {target} is still not the add-in; close every Excel window and run "
                         "the installer again").format(failed=said, target=target))  # fmt: skip
    return _("{failed}; copied the add-in to {folder} instead (the xlwings tab appears when Excel starts)").format(
        failed=said, folder=m.xlstart)


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
            return _("{file} is ready (unchanged)").format(file=target)
        return _("{file} is kept as it is (it was changed since it was made; delete it to get a fresh one)").format(file=target)
    write_atomic(target, data)
    return _("wrote {file}: the workbook with the reference to xlwings, examples and these steps").format(file=target)
