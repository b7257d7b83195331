"""KPI函数.xlsm: a workbook ready for the classic add-in's functions.

A workbook that uses imported xlwings functions needs a VBA reference to the xlwings add-in
(xlwings docs, "Workbook preparation"); without it every function cell shows an error. The
workbooks of `xlwings quickstart` carry that reference, so this one takes its VBA project
(xl/vbaProject.bin, reference included) from the quickstart workbook of the xlwings that is
installed, and adds the examples, the steps to click, and an xlwings.conf sheet naming the
function module. Excel binds the reference to the loaded add-in by its project name, xlwings.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter

from .._util.i18n import _
from ..errors import KpiError
from ..policy import DEFAULT_POLICY, Policy
from .catalog import UDF_MODULE
from .lambdas import lambdas

FILE_NAME = "KPI函数.xlsm"

STEPS = [
    "kpi-xl 的 Excel 函数（经典 xlwings 加载项）。第一次使用时按以下步骤操作：",
    "1. 打开本工作簿时，点黄色提示条上的“启用内容”(Enable Content)。",
    "2. 文件 › 选项 › 信任中心 › 信任中心设置 › 宏设置：勾选“信任对 VBA 工程对象模型的访问”"
    "(Trust access to the VBA project object model)。",
    "3. 在 xlwings 选项卡上点 Import Functions（导入函数），再按 Ctrl+Alt+F9 全部重算。"
    "C 列的结果与 D 列的预期相同，即已成功。之后可取消第2步的勾选。",
    "4. 在本工作簿里使用这些函数，或“另存为”新的 .xlsm 文件（函数和对 xlwings 的引用随文件保存）。"
    "所有函数见“插入函数”对话框的 KPI 类别。",
    "出现 #NAME? ：尚未导入函数（第3步）。单元格显示以函数名开头的说明文字：该行的输入有误，请改正该单元格。",
]
HEADER = ["函数", "公式", "结果", "预期", "说明"]


def quickstart_vba_project(xlwings_dir: Path) -> bytes:
    """The VBA project of xlwings' quickstart workbook, with its reference to the add-in."""
    quickstart = xlwings_dir / "quickstart.xlsm"
    try:
        with zipfile.ZipFile(quickstart) as book:
            return book.read("xl/vbaProject.bin")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise KpiError(_("cannot read xlwings' quickstart workbook {file} ({error}); "
                         "reinstall xlwings (run the installer again)").format(file=quickstart, error=exc)) from None  # fmt: skip


def functions_workbook(vba_project: bytes, policy: Policy = DEFAULT_POLICY) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": "KPI函数", "created": datetime(2026, 1, 1)})  # the same bytes every time
    book.add_vba_project(io.BytesIO(vba_project), is_stream=True)
    # the quickstart's project has the document modules ThisWorkbook, Sheet1 and Sheet2: two sheets, as there
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("KPI函数")
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 3, 10)
    sheet.set_column(4, 4, 60)
    for row, line in enumerate(STEPS):
        sheet.write_string(row, 0, line, bold if row == 0 else None)
    row = len(STEPS) + 1
    for col, title in enumerate(HEADER):
        sheet.write_string(row, col, title, bold)
    for item in lambdas(policy):  # the scalar rules' examples, with their values in Python
        for arguments, expected in item.examples:
            row += 1
            formula = f"={item.name}({arguments})"
            value = expected()
            sheet.write_string(row, 0, item.name)
            sheet.write_string(row, 1, formula)
            sheet.write_formula(row, 2, formula)
            if isinstance(value, str):
                sheet.write_string(row, 3, value)
            elif value is not None:
                sheet.write_number(row, 3, value)
            sheet.write_string(row, 4, item.help, wrap)
    # read by the add-in before the user's xlwings.conf; only this key, so that the user's
    # interpreter setting still applies (a key listed here with no value would override it)
    config = book.add_worksheet("xlwings.conf")
    config.write_string(0, 0, "UDF Modules")
    config.write_string(0, 1, UDF_MODULE)
    config.hide()
    book.close()
    return buffer.getvalue()
