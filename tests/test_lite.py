"""The xlwings Lite bundle: imports in plain Python with its embedded rules, and every
function gives what the desktop UDF gives on the SPEC §4 examples."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import kpi_udfs
from kpi_xl.excel import catalog as udf_catalog
from kpi_xl.excel.lite import write_bundle
from tests.helpers import EXAMPLES, as_cells

PROBE = """
import json, runpy, sys
namespace = runpy.run_path(sys.argv[1])
calls = json.loads(sys.argv[2])
loaded_from = sorted({type(sys.modules[m].__loader__).__name__ for m in sys.modules if m.startswith("kpi_xl")})
out = {"loaders": loaded_from, "results": [namespace[name](*args) for name, args in calls],
       "help": {name: [namespace[name].__doc__, namespace[name].__kpi_argument_help__] for name, _ in calls}}
print(json.dumps(out))
"""


def test_bundle_functions_equal_the_desktop_udfs(tmp_path):
    main, requirements = write_bundle(tmp_path)
    assert requirements.read_text().splitlines()[1] == "numpy"
    calls = [(name, [as_cells(a) for a in args]) for name, args, _ in EXAMPLES]
    # a fresh interpreter, so that kpi_xl can only come from the bundle's embedded sources
    done = subprocess.run([sys.executable, "-c", PROBE, str(main), json.dumps(calls)], capture_output=True,
                          text=True, check=True, cwd=tmp_path)  # fmt: skip
    out = json.loads(done.stdout)
    assert out["loaders"] == ["_EmbeddedKpiXl"]
    for (name, args), got in zip(calls, out["results"]):
        assert got == getattr(kpi_udfs, name)(*args), name
    for udf in udf_catalog.udfs():
        if udf.name in out["help"]:
            doc, argument_help = out["help"][udf.name]
            assert doc == getattr(kpi_udfs, udf.name).__doc__
            assert argument_help == getattr(kpi_udfs, udf.name).__kpi_argument_help__


def test_bundle_needs_nothing_pyodide_lacks(tmp_path):
    main, _ = write_bundle(tmp_path)
    tree = ast.parse(main.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    embedded = "".join(s for s in main.read_text(encoding="utf-8").split("_SOURCES = {", 1)[1:])
    for forbidden in ("openpyxl", "xlsxwriter", "python_calamine", "pandas", "sqlite3", "subprocess"):
        assert f"import {forbidden}" not in embedded, forbidden
    assert imported <= {"__future__", "importlib", "sys", "xlwings", "kpi_xl", "tomllib"}, imported


def test_a_policy_is_built_in(tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text("[grades]\nA = 95\n", encoding="utf-8")
    main, _ = write_bundle(tmp_path / "b", policy)
    probe = "import runpy, sys; ns = runpy.run_path(sys.argv[1]); print(ns['KPI_GRADE']([[92]]))"
    done = subprocess.run([sys.executable, "-c", probe, str(main)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[['B']]"
