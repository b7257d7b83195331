"""What `kpi-xl excel-setup` looks at and touches on a PC, gathered in one place so that the
tests can hand in a fake Windows (a user folder C:\\Users\\张三, a cp936 code page, an add-in
install that fails) on any system.

Standard library only: the installer runs this before anything else is installed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import locale
import os
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Runner = Callable[..., subprocess.CompletedProcess]


def run(command: Sequence[str], env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a Python program (pip, xlwings, kpi-xl) and keep what it printed, in UTF-8 both ways:
    a user folder such as C:\\Users\\张三 is printed intact whatever the console's code page."""
    env = {**(os.environ if env is None else env), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(list(command), capture_output=True, encoding="utf-8", errors="replace", env=env)


def _home() -> Path:
    return Path.home()


def _local_appdata() -> Path:
    return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")


def _xlstart() -> Path:
    # Excel's own start-up folder for this user, where `xlwings addin install` copies the add-in
    return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "Microsoft" / "Excel" / "XLSTART"


def _xlwings_dir() -> Path | None:
    spec = importlib.util.find_spec("xlwings")  # found, not imported: the installer has no xlwings yet
    return Path(spec.origin).parent if spec and spec.origin else None


def _xlwings_version() -> str:
    try:
        return importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _data_folders() -> list[Path]:
    # where pip puts a wheel's data files (xlwings' DLLs): this Python's prefix, and the user
    # folder %APPDATA%\Python of `pip install --user` (xlwings issue #1803)
    folders = [sysconfig.get_path("data")]
    user_scheme = f"{os.name}_user"
    if user_scheme in sysconfig.get_scheme_names():
        folders.append(sysconfig.get_path("data", user_scheme))
    return [Path(f) for f in dict.fromkeys(folders)]


@dataclass
class Machine:
    platform: str = sys.platform
    executable: str = sys.executable
    version: tuple[int, int] = sys.version_info[:2]
    bits: int = 64 if sys.maxsize > 2**32 else 32
    # the ANSI code page: how xlwings writes xlwings.conf and how its VBA reads it (cp936 in China)
    ansi: str = field(default_factory=locale.getencoding)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    home: Path = field(default_factory=_home)
    local_appdata: Path = field(default_factory=_local_appdata)
    xlstart: Path = field(default_factory=_xlstart)
    xlwings_dir: Path | None = field(default_factory=_xlwings_dir)
    xlwings_version: str = field(default_factory=_xlwings_version)
    data_folders: list[Path] = field(default_factory=_data_folders)
    run: Runner = run
    import_module: Callable[[str], object] = importlib.import_module

    @property
    def config(self) -> Path:
        """The user's xlwings config, where xlwings and its add-in look (%USERPROFILE%\\.xlwings)."""
        return self.home / ".xlwings" / "xlwings.conf"

    @property
    def environment(self) -> Path:
        """kpi-xl's own Python environment, in the user's folder: no administrator needed."""
        return self.local_appdata / "kpi-xl" / "env"

    @property
    def documents(self) -> Path:
        return self.home / "Documents"
