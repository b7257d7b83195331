"""The layout is the architecture: data flows one way, and nothing low imports something high.

roster + policy -> forms -> render -> (people fill) -> collect -> ledger -> engine -> office.
Every import of a kpi_xl module, also those inside functions, is checked against the layers.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kpi_xl"

# Lower number = lower layer. A module may import its own layer or any lower one; within
# one package (kpi_xl.forms.*) anything goes as long as there is no circle.
LAYERS = {
    "kpi_xl.errors": 0,
    "kpi_xl._util": 0,
    "kpi_xl.calendar": 1,
    "kpi_xl.policy": 1,
    "kpi_xl.reading": 1,  # files people hand us, read within limits: by the roster and the collector
    "kpi_xl.rules": 2,
    "kpi_xl.roster": 2,
    "kpi_xl.ledger": 2,
    "kpi_xl.scorecards": 3,
    "kpi_xl.forms": 4,
    "kpi_xl.render": 5,
    "kpi_xl.collect": 6,
    "kpi_xl.engine": 7,
    "kpi_xl.office": 8,
    "kpi_xl.excel": 9,
    "kpi_xl.demo": 9,
    "kpi_xl.cli": 10,
    "kpi_xl.__main__": 11,
    "kpi_xl": 0,  # the package's __init__: version and the public API
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("kpi_xl"):
                found.add(target)
                if target == "kpi_xl" or node.level and not node.module:
                    found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kpi_xl"))
    return found


def _layer_of(module: str) -> tuple[str, int]:
    best = max((key for key in LAYERS if module == key or module.startswith(key + ".")), key=len)
    return best, LAYERS[best]


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_nothing_low_imports_something_high(module):
    group, layer = _layer_of(module)
    upward = []
    for target in MODULES[module]:
        if target == "kpi_xl" or target == "kpi_xl.__version__":
            continue
        target_group, target_layer = _layer_of(target)
        if target_group != group and target_layer > layer:
            upward.append(f"{target} (layer {target_layer})")
    assert not upward, f"{module} (layer {layer}) imports upward: {', '.join(sorted(upward))}"


def test_no_import_circle_between_packages():
    edges = {}
    for module, targets in MODULES.items():
        group = _layer_of(module)[0]
        for target in targets:
            other = _layer_of(target)[0]
            if other != group and other != "kpi_xl":
                edges.setdefault(group, set()).add(other)

    def reach(start, seen):
        for nxt in edges.get(start, ()):
            if nxt not in seen:
                seen.add(nxt)
                reach(nxt, seen)
        return seen

    circles = [group for group in edges if group in reach(group, set())]
    assert not circles, f"import circles through {circles}"


def test_the_top_level_stays_small():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 8, f"{len(loose)} loose modules at the top of kpi_xl/: {loose}"
