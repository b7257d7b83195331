"""The rules are pure numpy: importing them loads no spreadsheet or CLI library."""

import subprocess
import sys


def test_importing_the_rules_loads_no_openpyxl_xlwings_or_click():
    code = (
        "import sys, kpi_xl.rules, kpi_xl.policy; "
        "print(','.join(m for m in ('openpyxl', 'xlwings', 'click', 'pandas') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""
