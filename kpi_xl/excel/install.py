"""`kpi-xl excel-setup --install-from FOLDER|WHEEL`: what install\\install.bat hands over to.

The installer scripts only find a Python 3.11+ and run this with kpi_xl importable from the
folder or wheel the user was given, before anything is installed: standard library only.
  1. check that Python (3.11+, not the Microsoft Store build);
  2. make kpi-xl's own environment in %LOCALAPPDATA%\\kpi-xl\\env: no administrator needed,
     and xlwings' DLL lands in the environment's folder, one above its pythonw.exe, where the
     add-in looks (a `pip install --user` into an all-users Python puts it in
     %APPDATA%\\Python, where it never looks: xlwings issue #1803);
  3. pip-install kpi-xl there from the given folder or wheel (never by name: kpi-xl is not on
     PyPI), its dependencies through the user's mirror or proxy (--index-url, or the
     environment's PIP_INDEX_URL, PIP_TRUSTED_HOST, HTTPS_PROXY, which pip reads);
  4. run `kpi-xl excel-setup` in that environment (kpi_xl/excel/setup.py) for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .._util.i18n import _
from ..errors import KpiError
from .machine import Machine
from .setup import check_python


def kpi_xl_source(source: Path) -> Path:
    """The kpi-xl folder (with its pyproject.toml) or wheel to install from."""
    if source.is_file() and source.name.lower().startswith("kpi_xl-") and source.suffix.lower() == ".whl":
        return source
    pyproject = source / "pyproject.toml"
    if source.is_dir() and pyproject.is_file() and 'name = "kpi-xl"' in pyproject.read_text(encoding="utf-8", errors="replace"):
        return source
    raise KpiError(_("{source} is neither the kpi-xl folder nor a kpi_xl-….whl file; run install\\install.bat "
                     "from inside the kpi-xl folder you were given (unzip it first)").format(source=source))  # fmt: skip


def install(source: Path, index_url: str | None = None, machine: Machine | None = None,
            say: Callable[[str], None] = print) -> int:  # fmt: skip
    """Install into kpi-xl's environment, then run the setup there; its exit status."""
    m = machine or Machine()
    check_python(m)
    source = kpi_xl_source(source)
    env = m.environment
    try:
        str(env).encode(m.ansi)
    except UnicodeEncodeError:
        raise KpiError(_("{folder}: Excel's add-in reads paths in this Windows' code page {ansi}, which cannot "
                         "hold this user folder's name; set Windows' language for non-Unicode programs to Chinese "
                         "(Simplified) (Settings › Time & language › Language › Administrative language settings "
                         "› Change system locale) and run the installer again").format(folder=env, ansi=m.ansi)) from None  # fmt: skip
    say(_("Python {version} at {python}; installing kpi-xl from {source} into {folder}").format(
        version=f"{m.version[0]}.{m.version[1]}", python=m.executable, source=source, folder=env))
    # children get the user's settings (mirror, proxy) but not the PYTHONPATH that let this
    # Python run kpi_xl from the folder: the environment must use what it installed
    children = {k: v for k, v in m.environ.items() if k.upper() != "PYTHONPATH"}
    _step(m, [m.executable, "-m", "venv", str(env)], children, _("making the environment"))
    python = str(env / "Scripts" / "python.exe")
    pip = [python, "-m", "pip", "install", "--upgrade", "--disable-pip-version-check", str(source)]
    pip += ["--index-url", index_url] if index_url else []
    _step(m, pip, children, _("installing kpi-xl and its dependencies (xlwings, pandas, …)"),
          _("check the network; behind a company proxy set HTTPS_PROXY=http://proxy:port, with a company "
            "mirror run install.bat --index-url URL (or set PIP_INDEX_URL), then run the installer again"))  # fmt: skip
    say(_("kpi-xl installed; setting up Excel:"))
    done = m.run([python, "-m", "kpi_xl", "excel-setup"], env=children)
    for line in (done.stdout + done.stderr).splitlines():
        say(line)
    return done.returncode


def _step(m: Machine, command: list[str], env: dict[str, str], what: str, advice: str | None = None) -> None:
    done = m.run(command, env=env)
    if done.returncode != 0:
        printed = [line for line in (done.stderr or done.stdout or "").strip().splitlines() if line.strip()]
        raise KpiError(_("{step} failed (exit {code}: {output}); {advice}").format(
            step=what, code=done.returncode, output=printed[-1].strip() if printed else _("no message"),
            advice=advice or _("run the installer again")))
