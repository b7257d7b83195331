"""Every form field key that the engine, the office's status and appeal, and the demo read is
declared by some form (issue 9: the keys are the forms' exported names, not loose strings)."""

from __future__ import annotations

import ast
from pathlib import Path

import kpi_xl.forms as forms
from tests.helpers import all_specs

ROOT = Path(forms.__file__).parents[1]
DOWNSTREAM = [
    *sorted((ROOT / "engine").glob("*.py")),
    ROOT / "office" / "status.py",
    ROOT / "office" / "appeal.py",
    *sorted((ROOT / "demo").glob("*.py")),
]
KEY_NAMES = {"FINAL", "GRADE"}  # the constant keys kpi_xl.forms exports


def keys_read(source: str) -> set[str]:
    """The keys a module reads: the exported constants, total_key("…") and values.get("…")."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in KEY_NAMES:
            found.add(getattr(forms, node.id))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func
            if isinstance(called, ast.Name) and called.id == "total_key":
                found.add(forms.total_key(node.args[0].value))
            elif (isinstance(called, ast.Attribute) and called.attr == "get"
                  and isinstance(called.value, ast.Name) and called.value.id == "values"):  # fmt: skip
                found.add(node.args[0].value)  # a form's values read by a literal key
    return found


def declared_keys() -> set[str]:
    return {cell.key for spec in all_specs().values() for cell in spec.cells if getattr(cell, "key", None)}


def test_every_key_read_downstream_is_declared_by_a_form():
    declared = declared_keys()
    read = {path.relative_to(ROOT).as_posix(): keys_read(path.read_text(encoding="utf-8")) for path in DOWNSTREAM}
    assert set().union(*read.values()) >= {forms.FINAL, forms.total_key("leader")}, read  # the scan finds them
    undeclared = {module: sorted(keys - declared) for module, keys in read.items() if keys - declared}
    assert not undeclared, f"keys read but declared by no form: {undeclared}"


def test_a_misspelled_key_is_caught():
    declared = declared_keys()
    source = 'x = values.get("finall")\ny = total_key("leadr")\nz = values.get(FINAL)\n'
    assert keys_read(source) - declared == {"finall", "total.leadr"}
