@echo off
rem kpi-xl: install the KPI functions for desktop Excel on Windows (double-click me).
rem Options pass through to install.ps1, e.g.  install.bat --index-url https://mirrors.example.com/simple
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
set KPI_XL_RESULT=%ERRORLEVEL%
if not "%KPI_XL_RESULT%"=="0" (
    echo.
    echo Installation did not finish: see the message above.
)
pause
exit /b %KPI_XL_RESULT%
