"""kpi-xl: spreadsheet-native monthly KPI performance appraisal (绩效考核).

The public API, imported on first use (importing kpi_xl loads nothing else):

    from kpi_xl import rules, load_policy, KpiError
    rules.kpi_linear(80, 70, 90, 5)          # the scoring rules (rules.RULES: by Excel name)
    policy = load_policy("policy.toml")      # a Policy; DEFAULT_POLICY is seed 000's

Everything kpi-xl reports is a KpiError; see kpi_xl.errors for the family.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name → the module that defines it
_PUBLIC = {
    "rules": "kpi_xl.rules",
    "RULES": "kpi_xl.rules",
    "Policy": "kpi_xl.policy",
    "DEFAULT_POLICY": "kpi_xl.policy",
    "load_policy": "kpi_xl.policy",
    "KpiError": "kpi_xl.errors",
    "KpiInputError": "kpi_xl.errors",
    "KpiArgumentError": "kpi_xl.errors",
    "KpiFileError": "kpi_xl.errors",
    "UnreadableWorkbook": "kpi_xl.errors",
    "LedgerError": "kpi_xl.errors",
    "PolicyError": "kpi_xl.errors",
    "ProblemsError": "kpi_xl.errors",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'kpi_xl' has no attribute {name!r}")
    module = importlib.import_module(_PUBLIC[name])
    value = module if module.__name__ == f"kpi_xl.{name}" else getattr(module, name)
    globals()[name] = value  # once found, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
