"""What the Excel functions are called, what they take and what their help says.

The functions and their arguments are read from the UDF module itself (udfs/kpi_udfs.py,
installed as `kpi_udfs`), their help from the rule registry (kpi_xl.rules.RULES) that the UDF
docstrings come from too, so the command line listing, the README reference and Excel's
Function Wizard all show the same text.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType

UDF_MODULE = "kpi_udfs"


@dataclass(frozen=True)
class Argument:
    name: str
    optional: bool
    help: str


@dataclass(frozen=True)
class Udf:
    name: str
    help: str
    arguments: tuple[Argument, ...]

    @property
    def signature(self) -> str:
        parts = [f"[{a.name}]" if a.optional else a.name for a in self.arguments]
        return f"{self.name}({', '.join(parts)})"


def load_udf_module() -> ModuleType:
    return importlib.import_module(UDF_MODULE)


def udfs(module: ModuleType | None = None) -> list[Udf]:
    """Every KPI function of the UDF module, in the order the module defines them."""
    from .. import rules  # here, not above: `kpi-xl excel-setup` runs without numpy

    module = module or load_udf_module()
    found = []
    for name, function in vars(module).items():
        argument_help = getattr(function, "__kpi_argument_help__", None)
        if argument_help is None:
            continue
        parameters = inspect.signature(function).parameters
        arguments = tuple(
            Argument(p, parameters[p].default is not inspect.Parameter.empty, argument_help[p])
            for p in parameters
        )
        found.append(Udf(name, rules.RULES[name].udf_help, arguments))
    return found


def as_text(items: list[Udf]) -> str:
    blocks = []
    for udf in items:
        lines = [udf.signature, f"    {udf.help}"]
        lines += [f"    {a.name}: {a.help}" for a in udf.arguments]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def as_markdown(items: list[Udf]) -> str:
    """The README's function reference (a test keeps the README equal to this)."""
    rows = ["| function | what it does | arguments |", "|---|---|---|"]
    for udf in items:
        arguments = "<br>".join(
            f"`{a.name}`{' (optional)' if a.optional else ''}: {_md(a.help)}"
            for a in udf.arguments
        )
        rows.append(f"| `{udf.signature}` | {_md(udf.help)} | {arguments} |")
    return "\n".join(rows) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("\n", " ")
