# kpi-xl: install the KPI functions for desktop Excel on Windows.
#
# Thin on purpose: find a Python 3.11 or newer, then hand over to Python:
#   python -m kpi_xl excel-setup --install-from <this kpi-xl folder or wheel> [--index-url URL]
# which makes kpi-xl's own environment, installs kpi-xl into it from this folder (never from
# PyPI), installs the xlwings add-in and says what it did (kpi_xl/excel/install.py, setup.py).
#   powershell -NoProfile -ExecutionPolicy Bypass -File install\install.ps1 [--index-url URL]
#
# Written for Windows PowerShell 5.1 (tests/test_installer_scripts.py checks these rules):
# - ASCII only: 5.1 reads a script without a byte order mark in the ANSI code page.
# - No $ErrorActionPreference = "Stop": 5.1 then stops at the first line a native program
#   (py, python, pip) writes to stderr. Native commands are checked by $LASTEXITCODE.
# - A variable followed by a colon inside a string is written ${name}: (without the braces it does not parse).

$ErrorActionPreference = "Continue"

# Read what Python prints in UTF-8, so that a user folder such as C:\Users\<Chinese name> survives.
$env:PYTHONIOENCODING = "utf-8"
try { [Console]::OutputEncoding = [System.Text.Encoding]::UTF8 } catch { }

function Test-Python([string] $exe) {
    # True if $exe is a Python 3.11 or newer that Excel can start.
    if (-not $exe) { return $false }
    if ($exe -like "*\WindowsApps\*") {
        Write-Host "Skipping ${exe}: the Microsoft Store Python cannot be started by Excel."
        return $false
    }
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { return $false }
    $global:LASTEXITCODE = 1  # a program that cannot start leaves it unchanged
    try {
        & $exe -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" 2>$null | Out-Null
    } catch {
        return $false
    }
    return ($LASTEXITCODE -eq 0)
}

function Get-PythonCandidates {
    $found = New-Object System.Collections.Generic.List[string]

    # 1. The py launcher: every Python it knows, newest first (3.14, 3.13, ... whatever is there).
    if (Get-Command py -CommandType Application -ErrorAction SilentlyContinue) {
        $listing = & py -0 2>$null
        foreach ($line in $listing) {
            if ("$line" -match '-(?:V:)?(3\.\d+)') {
                $version = $Matches[1]
                $global:LASTEXITCODE = 1
                $exe = & py "-$version" -c "import sys; print(sys.executable)" 2>$null
                if ($LASTEXITCODE -eq 0 -and $exe) { $found.Add(("$exe").Trim()) }
            }
        }
    }

    # 2. python.org installs as registered (PEP 514): per user (HKCU) and for all users (HKLM).
    $roots = @("HKCU:\Software\Python\PythonCore", "HKLM:\Software\Python\PythonCore",
               "HKLM:\Software\WOW6432Node\Python\PythonCore")
    foreach ($root in $roots) {
        $keys = Get-ChildItem -Path $root -ErrorAction SilentlyContinue | Sort-Object PSChildName -Descending
        foreach ($key in $keys) {
            $install = Get-ItemProperty -Path "$($key.PSPath)\InstallPath" -ErrorAction SilentlyContinue
            if ($install -and $install.ExecutablePath) { $found.Add($install.ExecutablePath) }
            elseif ($install -and $install.'(default)') { $found.Add((Join-Path $install.'(default)' "python.exe")) }
        }
    }

    # 3. python / python3 on PATH (the Microsoft Store stubs in WindowsApps are skipped later).
    foreach ($cmd in (Get-Command python, python3 -CommandType Application -All -ErrorAction SilentlyContinue)) {
        $found.Add($cmd.Source)
    }

    # 4. The usual folders: per user, all users, and the old C:\Python3xx.
    $folders = @((Join-Path $env:LOCALAPPDATA "Programs\Python"), $env:ProgramFiles, ${env:ProgramFiles(x86)}, "$env:SystemDrive\")
    foreach ($folder in $folders) {
        if ($folder -and (Test-Path -LiteralPath $folder)) {
            $dirs = Get-ChildItem -LiteralPath $folder -Directory -Filter "Python3*" -ErrorAction SilentlyContinue |
                Sort-Object Name -Descending
            foreach ($dir in $dirs) { $found.Add((Join-Path $dir.FullName "python.exe")) }
        }
    }
    return $found
}

function Find-Python {
    $seen = @{}
    foreach ($exe in (Get-PythonCandidates)) {
        $key = "$exe".ToLowerInvariant()
        if ($seen.ContainsKey($key)) { continue }
        $seen[$key] = $true
        if (Test-Python $exe) { return $exe }
    }
    return $null
}

$python = Find-Python
if (-not $python) {
    Write-Host "No suitable Python found. Install Python 3.11 or newer from https://www.python.org/downloads/"
    Write-Host "(the Windows installer; not the Microsoft Store version) and run this again."
    exit 1
}
Write-Host "Using Python: $python"

# What to install: this kpi-xl folder (install\ is inside it), or a kpi_xl-*.whl beside this script.
$here = $PSScriptRoot
$top = Split-Path -Parent $here
$source = $null
if (Test-Path -LiteralPath (Join-Path $top "pyproject.toml")) {
    $source = $top
} else {
    $wheel = Get-ChildItem -LiteralPath @($here, $top) -Filter "kpi_xl-*.whl" -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if ($wheel) { $source = $wheel.FullName }
}
if (-not $source) {
    Write-Host "This script must stay in the install folder of kpi-xl (or beside a kpi_xl-*.whl file): unzip"
    Write-Host "the whole kpi-xl folder you were given and run install\install.bat from there."
    exit 1
}

# kpi_xl runs from the folder or wheel itself until it is installed (a wheel is a zip Python imports from).
$env:PYTHONPATH = $source
& $python -m kpi_xl excel-setup --install-from $source @args
exit $LASTEXITCODE
