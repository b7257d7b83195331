"""Register the UDF module the way Excel on Windows would, with xlwings' own code.

On Linux, xlwings' decorators are no-ops. Here `pythoncom`, `pywintypes` and
`win32com.client` are stubbed so that `xlwings.udfs` imports; its Windows decorators are
put in place of `xw.func`/`xw.arg`/`xw.ret`; the UDF module is imported afresh under them;
and xlwings' `import_udfs` writes the VBA module and registers each function's category
and help with a fake workbook, exactly as "Import Functions" does in Excel. (xlwings is
pinned to 0.37.x in pyproject.toml because this is its private API.)
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path

import pytest
import xlwings

from kpi_xl import rules

UDF_FILE = Path(__file__).resolve().parent.parent / "udfs" / "kpi_udfs.py"

# Visual Basic for Applications language reference, "Keywords", plus names Excel's VBA
# wrapper would clash with.
VBA_RESERVED = {
    w.lower()
    for w in """Access AddressOf Alias And Any Append Array As Attribute Base Binary Boolean ByRef
    Byte ByVal Call Case CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr Compare Const
    CSng CStr Currency CVar CVErr Database Date Debug Decimal Declare DefBool DefByte DefCur
    DefDate DefDbl DefDec DefInt DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do
    DoEvents Double Each Else ElseIf Empty End EndIf Enum Eqv Erase Error Event Exit Explicit
    False For Friend Function Get Global GoSub GoTo If Imp Implements In Input Integer Is LBound
    Len Let Lib Like Line Lock Long LongLong LongPtr Loop LSet Me Mid Mod Module New Next Not
    Nothing Null Object On Open Option Optional Or Output ParamArray Preserve Print Private
    Property PtrSafe Public Put RaiseEvent Random Read ReDim Rem Resume Return RSet Seek Select
    Set Shared Single Spc Static Step Stop String Sub Tab Then To True Type TypeOf UBound Unlock
    Until Variant Wend While Width With WithEvents Write Xor""".split()
}


class _ComError(Exception):
    pass


@pytest.fixture
def registered(monkeypatch):
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = object()
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = _ComError
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    for name, module in [("pythoncom", pythoncom), ("pywintypes", pywintypes),
                         ("win32com", win32com), ("win32com.client", client)]:  # fmt: skip
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    xlwings_udfs = importlib.import_module("xlwings.udfs")
    monkeypatch.setattr(xlwings, "func", xlwings_udfs.xlfunc)
    monkeypatch.setattr(xlwings, "arg", xlwings_udfs.xlarg)
    monkeypatch.setattr(xlwings, "ret", xlwings_udfs.xlret)

    spec = importlib.util.spec_from_file_location("kpi_udfs_under_windows", UDF_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield xlwings_udfs, module
    xlwings_udfs.udf_modules.pop("kpi_udfs", None)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)


class FakeWorkbook:
    """What import_udfs touches of an Excel workbook."""

    Name = "kpi_udfs.xlam"

    def __init__(self):
        self.imported_vba = None
        self.macro_options = {}
        book = self

        class Components:
            def __call__(self, name):
                raise _ComError("no such component")

            def Remove(self, component):  # noqa: N802 (COM name)
                pass

            def Import(self, path):  # noqa: N802
                book.imported_vba = Path(path).read_text()

        class Application:
            Version = "16.0"

            def MacroOptions(self, macro, **options):  # noqa: N802
                book.macro_options[macro] = options

        self.VBProject = types.SimpleNamespace(VBComponents=Components())
        self.Application = Application()


def test_import_functions_writes_vba_for_every_rule(registered):
    xlwings_udfs, module = registered
    xlwings_udfs.udf_modules["kpi_udfs"] = {"filename": str(UDF_FILE), "filetime": None, "module": module}
    book = FakeWorkbook()
    xlwings_udfs.import_udfs("kpi_udfs", book)
    vba = book.imported_vba

    assert vba is not None
    for name in rules.RULES:
        function = getattr(module, name)
        args = [a["name"] for a in function.__xlfunc__["args"]]
        declared = ", ".join(("Optional " if "optional" in a else "") + a["name"]
                             for a in function.__xlfunc__["args"])  # fmt: skip
        assert f"Function {name}({declared})" in vba, name
        assert f'XLPy.CallUDF("kpi_udfs", "{name}", Array({", ".join(args)}), ActiveWorkbook' in vba

        options = book.macro_options[f"'kpi_udfs.xlam'!{name}"]
        assert options["Category"] == "KPI"
        assert options["Description"] == function.__doc__, "help must fit Excel's 255 characters"
        assert options["ArgumentDescriptions"] == list(function.__kpi_argument_help__.values())
        assert all(len(d) <= 255 for d in options["ArgumentDescriptions"])


def test_every_argument_is_read_as_a_range_keeping_error_cells(registered):
    _, module = registered
    for name in rules.RULES:
        for arg in getattr(module, name).__xlfunc__["args"]:
            assert arg["options"].get("ndim") == 2, (name, arg["name"])
            assert arg["options"].get("err_to_str") is True, (name, arg["name"])
            assert not arg["doc"].startswith("Positional argument"), (name, arg["name"])


def test_names_excel_and_vba_accept(registered):
    _, module = registered
    for name in rules.RULES:
        # a name like KPI360 would be read as a cell reference (column KPI, row 360)
        assert not re.fullmatch(r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*", name), name
        for arg in getattr(module, name).__xlfunc__["args"]:
            assert arg["name"].lower() not in VBA_RESERVED, (name, arg["name"])
            assert not re.fullmatch(r"[A-Za-z]{1,3}\d+", arg["name"]), (name, arg["name"])
        assert len(getattr(module, name).__doc__) <= 255
