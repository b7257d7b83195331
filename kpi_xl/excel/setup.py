"""`kpi-xl excel-setup`: make the KPI functions available in desktop Excel on Windows.

The installer scripts in install/ only find a suitable Python and pip-install kpi-xl; the
work is done here, where it can be tested:
  1. check this Python (3.11 or newer, not the Microsoft Store build, which Excel's COM
     server cannot start);
  2. check that the function module `kpi_udfs` imports;
  3. run `xlwings addin install` (copies the xlwings add-in into Excel's start-up folder);
  4. name `kpi_udfs` under "UDF Modules" and this Python as the interpreter in the user's
     xlwings config (%USERPROFILE%\\.xlwings\\xlwings.conf), keeping what else is there;
  5. say what is left to do in Excel itself: Import Functions, once.
Each step prints what it did; a failure stops with the reason and the fix, exit status 1.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from ..errors import KpiError

UDF_MODULE = "kpi_udfs"
Runner = Callable[[Sequence[str]], subprocess.CompletedProcess]


def _run(command: Sequence[str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True)


@dataclass
class Machine:
    """What the setup looks at and touches, so that tests can hand in fakes."""

    platform: str = sys.platform
    executable: str = sys.executable
    version: tuple[int, int] = sys.version_info[:2]
    config: Path = Path.home() / ".xlwings" / "xlwings.conf"
    run: Runner = _run
    import_module: Callable[[str], object] = importlib.import_module


def excel_setup(machine: Machine | None = None, say: Callable[[str], None] = print) -> None:
    m = machine or Machine()
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
    say(f"1. Python {m.version[0]}.{m.version[1]} at {m.executable}: suitable")

    try:
        module = m.import_module(UDF_MODULE)
    except ImportError as exc:
        raise KpiError(f"the function module {UDF_MODULE} does not import ({exc}); "
                       "reinstall with `pip install --force-reinstall kpi-xl`") from None  # fmt: skip
    say(f"2. the function module {UDF_MODULE} imports from {getattr(module, '__file__', '?')}")

    done = m.run([m.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"])
    if done.returncode != 0:
        detail = (done.stderr or done.stdout or "").strip().splitlines()
        raise KpiError(f"`xlwings addin install` failed (exit {done.returncode}: {detail[-1] if detail else 'no message'}); "
                       "close every Excel window and run the installer again")  # fmt: skip
    say("3. xlwings add-in installed in Excel's start-up folder (the xlwings tab appears in Excel)")

    # pythonw.exe beside python.exe: Excel starts it without a console window
    interpreter = str(PureWindowsPath(m.executable).with_name("pythonw.exe"))
    changed = write_config(m.config, {"UDF MODULES": UDF_MODULE, "INTERPRETER_WIN": interpreter})
    say(f"4. {m.config}: " + ("; ".join(changed) if changed else "already set up, nothing changed"))
    say("5. Once, in Excel: File › Options › Trust Center › Trust Center Settings › Macro Settings: tick "
        "\"Trust access to the VBA project object model\"; open a workbook, and on the xlwings tab click "
        "Import Functions. Then untick the setting again if you like.")  # fmt: skip
    say("   Check: type =KPI_LINEAR(80,70,90,5) in a cell: it shows 2.5. The functions are under the "
        "category KPI in the Insert Function dialog.")  # fmt: skip


_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def write_config(path: Path, wanted: dict[str, str]) -> list[str]:
    """Set keys in an xlwings.conf ("KEY","VALUE" lines), keeping every other line; a UDF
    module is added to those already named. Returns what changed."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        match = _LINE.match(line)
        if match:
            found[match.group(1).upper()] = i
    changes = []
    for key, value in wanted.items():
        if key in found:
            current = _LINE.match(lines[found[key]]).group(2)  # type: ignore[union-attr]
            if key == "UDF MODULES":
                modules = [m for m in current.split(";") if m.strip()]
                if value in modules:
                    continue
                value = ";".join([*modules, value])
            elif current == value:
                continue
            lines[found[key]] = f'"{key}","{value}"'
            changes.append(f"{key} set to {value} (was {current})")
        else:
            lines.append(f'"{key}","{value}"')
            changes.append(f"{key} set to {value}")
    if changes:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changes
