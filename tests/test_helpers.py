"""The workbook comparison the template tests rely on: equal generations compare equal, and
a difference is named down to the element."""

import zipfile

from kpi_xl.forms import Context, blank_form
from kpi_xl.render.xlsx import render
from tests.helpers import workbook_differences


def test_two_generations_are_equal_and_a_changed_cell_is_named(tmp_path):
    spec = blank_form(3, Context(None))
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    first.write_bytes(render(spec))
    second.write_bytes(render(spec))  # other creation times in docProps/core.xml
    assert workbook_differences(first, second) == []

    changed = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(changed, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="A1" s="1"', b'<c r="A1" s="2"', 1)
            target.writestr(name, data)
    differences = workbook_differences(changed, first)
    assert differences == ["xl/worksheets/sheet1.xml: /worksheet/sheetData[1]/row[1]/c[1]: @s='2' ≠ '1'"]
