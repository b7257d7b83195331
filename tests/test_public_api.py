"""The public API of `import kpi_xl`: every name in __all__ is there, and importing the
package alone loads nothing heavy."""

import subprocess
import sys

import kpi_xl
from kpi_xl import errors, policy, rules


def test_every_public_name_is_the_library_object():
    assert kpi_xl.rules is rules and kpi_xl.RULES is rules.RULES
    assert kpi_xl.load_policy is policy.load_policy and kpi_xl.Policy is policy.Policy
    for name in ("KpiError", "KpiInputError", "KpiArgumentError", "KpiFileError", "UnreadableWorkbook",
                 "LedgerError", "PolicyError", "ProblemsError"):  # fmt: skip
        assert getattr(kpi_xl, name) is getattr(errors, name), name
    assert all(hasattr(kpi_xl, name) for name in kpi_xl.__all__)
    assert issubclass(kpi_xl.LedgerError, kpi_xl.KpiFileError) and issubclass(kpi_xl.KpiFileError, OSError)


def test_importing_the_package_loads_no_submodule():
    code = "import sys, kpi_xl; print(sorted(m for m in sys.modules if m.startswith('kpi_xl.') or m in ('numpy', 'pandas')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
