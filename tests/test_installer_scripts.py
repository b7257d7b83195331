"""install\\install.bat and install.ps1, read as Windows reads them.

There is no Windows PowerShell here, so these are static checks for the traps that stop the
script on a fresh Windows 10/11 (Windows PowerShell 5.1) before it does anything: what 5.1
cannot parse, what makes it stop on a native program's stderr, what it reads wrongly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

INSTALL = Path(__file__).resolve().parent.parent / "install"
PS1 = (INSTALL / "install.ps1").read_bytes()
BAT = (INSTALL / "install.bat").read_bytes()
SCOPES = {"env", "script", "global", "local", "private", "using", "variable", "function"}


def code(script: str) -> str:
    """The script without its comments (a # starts one outside strings)."""
    return "\n".join(_strip_comment(line) for line in script.splitlines())


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def double_quoted(script: str) -> list[str]:
    return re.findall(r'"((?:[^"`]|`.)*)"', code(script))


def test_scripts_are_ascii_because_51_reads_them_in_the_ansi_code_page():
    assert PS1.isascii() and BAT.isascii()


def test_no_variable_followed_by_a_colon_inside_a_string():
    """"Skipping $exe: …" does not parse ($exe: reads as a drive-qualified variable); ${exe}: does."""
    script = PS1.decode("ascii")
    bad = [m.group(0) for s in double_quoted(script) for m in re.finditer(r"\$([A-Za-z_]\w*):", s)
           if m.group(1).lower() not in SCOPES]  # fmt: skip
    assert bad == []
    assert "${exe}:" in script  # the message that once broke it is there, written the safe way


def test_the_trap_check_finds_the_trap():
    assert [s for s in double_quoted('Write-Host "Skipping $exe: no"') if re.search(r"\$exe:", s)]


def test_a_native_programs_stderr_does_not_stop_the_script():
    script = code(PS1.decode("ascii"))
    assert not re.search(r"\$ErrorActionPreference\s*=\s*['\"]?Stop", script, re.IGNORECASE)
    assert "-ErrorAction Stop" not in script
    assert re.search(r"\$ErrorActionPreference\s*=\s*\"Continue\"", script)
    assert "$LASTEXITCODE" in script  # native commands are judged by their exit status


@pytest.mark.parametrize("pair", ["()", "{}", "[]"])
def test_brackets_balance_outside_strings(pair):
    script = code(PS1.decode("ascii"))
    outside = re.sub(r'"(?:[^"`]|`.)*"|\'[^\']*\'', '""', script)
    assert outside.count(pair[0]) == outside.count(pair[1])
    depth = 0
    for ch in outside:
        depth += (ch == pair[0]) - (ch == pair[1])
        assert depth >= 0


def test_python_is_found_the_ways_a_fresh_windows_may_have_it():
    script = code(PS1.decode("ascii"))
    assert "& py -0" in script  # the py launcher: every version it lists, 3.14 included
    assert not re.search(r"3\.1[1-9]\"", script)  # no fixed list of versions to try
    assert "HKCU:\\Software\\Python\\PythonCore" in script and "HKLM:\\Software\\Python\\PythonCore" in script
    assert 'Programs\\Python' in script and "$env:ProgramFiles" in script  # per-user, all-users installs
    assert "Get-Command python, python3" in script
    assert '-like "*\\WindowsApps\\*"' in script  # never the Microsoft Store stub


def test_the_script_hands_over_to_python_and_installs_nothing_by_name():
    script = code(PS1.decode("ascii"))
    assert "& $python -m kpi_xl excel-setup --install-from $source @args" in script
    assert "pip" not in script  # installing (from the folder, never from PyPI) is Python's job
    assert "exit $LASTEXITCODE" in script


def test_the_batch_file_passes_its_options_and_the_exit_status_on():
    assert b"\r\n" in BAT and BAT.count(b"\n") == BAT.count(b"\r\n")  # cmd.exe wants CR LF
    text = BAT.decode("ascii")
    assert 'powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*' in text
    assert "exit /b %KPI_XL_RESULT%" in text
