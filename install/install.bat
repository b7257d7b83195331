@echo off
rem kpi-xl: install the KPI functions for desktop Excel on Windows (double-click me).
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1"
if errorlevel 1 (
    echo.
    echo Installation did not finish: see the message above.
)
pause
