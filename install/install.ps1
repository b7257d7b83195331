# kpi-xl: install the KPI functions for desktop Excel on Windows.
#
# Thin on purpose: find a suitable Python, pip-install kpi-xl, then let
# `python -m kpi_xl excel-setup` do (and report) the real work.
#   powershell -ExecutionPolicy Bypass -File install\install.ps1
$ErrorActionPreference = "Stop"

function Find-Python {
    $candidates = @()
    if (Get-Command py -ErrorAction SilentlyContinue) {
        foreach ($v in @("3.13", "3.12", "3.11")) {
            $exe = & py "-$v" -c "import sys; print(sys.executable)" 2>$null
            if ($LASTEXITCODE -eq 0 -and $exe) { $candidates += $exe.Trim() }
        }
    }
    foreach ($name in @("python", "python3")) {
        $cmd = Get-Command $name -ErrorAction SilentlyContinue
        if ($cmd) { $candidates += $cmd.Source }
    }
    foreach ($exe in $candidates) {
        if ($exe -like "*WindowsApps*") {
            Write-Host "Skipping $exe: the Microsoft Store Python cannot be started by Excel."
            continue
        }
        & $exe -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" 2>$null
        if ($LASTEXITCODE -eq 0) { return $exe }
    }
    return $null
}

$python = Find-Python
if (-not $python) {
    Write-Host "No suitable Python found. Install Python 3.11 or newer from https://www.python.org/downloads/"
    Write-Host "(tick 'Add python.exe to PATH'; not the Microsoft Store version) and run this again."
    exit 1
}
Write-Host "Using $python"

# From a checkout of kpi-xl, install that; otherwise the published package.
$source = Split-Path -Parent $PSScriptRoot
if (Test-Path (Join-Path $source "pyproject.toml")) { $package = $source } else { $package = "kpi-xl" }
& $python -m pip install --upgrade $package
if ($LASTEXITCODE -ne 0) {
    Write-Host "pip could not install kpi-xl (see above). Check the internet connection or proxy and run this again."
    exit 1
}

& $python -m kpi_xl excel-setup
exit $LASTEXITCODE
