"""The print check (issue 13): every form kind (附件1–9, zh and en, blank and filled with long
text) rendered by LibreOffice to PDF with Calibri's metrics (fonts-crosextra-carlito), and
read back with poppler: page counts, no ###, nothing past the paper's edge, the signatures
on the page with the result, the hand-in dates on the form sheet, typed text not cut."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from kpi_xl.forms.common import FREE_TEXT
from tests.helpers import LONG_ZH, convert, print_set, soffice_or_skip

pytestmark = pytest.mark.libreoffice
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
FOOTER = re.compile(r"第 (\d+) 页 / 共 (\d+) 页|Page (\d+) of (\d+)\b")
# seed 000 §五 for 2026-12 (附件1–6 of the tests) and 2026-11 (附件7)
DATES = {3: ("2026-12-31", "2027-01-05", "2027-01-08"), 4: ("2027-01-05",), 5: ("2027-01-05", "2027-01-08"),
         6: ("2026-12-31", "2027-01-08"), 7: ("2026-12-10",)}  # fmt: skip


def _tool(name: str) -> None:
    if not shutil.which(name):
        reason = f"{name} is not installed: apt-get install -y poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    soffice_or_skip()
    _tool("pdftotext")
    folder = tmp_path_factory.mktemp("print")
    books = print_set(folder / "xlsx")
    pdfs = convert([path for _, path in books.values()], folder / "pdf", to="pdf")  # one soffice call
    pages = {}
    for name, pdf in zip(books, pdfs):
        html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        pages[name] = [(float(w), float(h), [(*map(float, m[:4]), m[4]) for m in WORD.findall(body)])
                       for w, h, body in PAGE.findall(html)]  # fmt: skip
    return books, pages


def _text(page) -> str:
    return "".join(word for *_, word in page[2])


def _words(page) -> str:
    return " ".join(word for *_, word in page[2])


def _form_pages(page_list):
    """The form sheet's pages: those whose footer says 第 k 页 / 共 N 页 (the 说明 has none)."""
    return [p for p in page_list if FOOTER.search(_words(p))]


def test_every_page_is_on_the_paper_and_no_number_is_hashed(printed):
    _, pages = printed
    assert len(pages) == 36
    for name, page_list in pages.items():
        for number, (width, height, words) in enumerate(page_list, start=1):
            for x0, y0, x1, y1, word in words:
                assert x0 >= 0 and y0 >= 0 and x1 <= width + 0.5 and y1 <= height + 0.5, f"{name} p{number}: {word!r} off the paper"
                assert "###" not in word, f"{name} p{number}: a number does not fit its column"


def test_each_form_prints_on_the_pages_its_footer_counts(printed):
    _, pages = printed
    for name, page_list in pages.items():
        form = _form_pages(page_list)
        footers = [FOOTER.search(_words(p)).groups() for p in form]
        total = {int(g[1] or g[3]) for g in footers}
        assert total == {len(form)}, f"{name}: footers {footers} but {len(form)} form pages"
        if not re.match(r"filled[789]", name):  # one 说明 page; the summaries have more sheets
            assert len(page_list) - len(form) == 1, f"{name}: {len(page_list)} pages, {len(form)} of the form"
        if name.startswith("blank"):
            # as a clerk hands them out: 附件3 on two pages, the others on one (附件7's 20 rows: two)
            assert len(form) == (2 if name[5] in "37" else 1), f"{name}: {len(form)} pages"


def test_signatures_are_on_the_page_with_the_result(printed):
    books, pages = printed
    for name, page_list in pages.items():
        zh = name.endswith("_zh")
        signer = "复核人" if zh else "Reviewer"
        if name[5] == "3" or name.startswith("filled3"):
            on = [p for p in _form_pages(page_list) if signer in _text(p)]
            assert len(on) == 1, name
            text = _text(on[0])
            assert ("最终得分" if zh else "Finalscore") in text and ("考核等级" if zh else "Grade") in text, name
        signature = "签字" if zh else "signature"
        form = _form_pages(page_list)
        carrying = [p for p in form if signature in _text(p)]
        assert len(carrying) == 1, f"{name}: the signatures are split over {len(carrying)} pages"


def test_hand_in_dates_are_on_the_form_sheet(printed):
    _, pages = printed
    for form, dates in DATES.items():
        for lang in ("zh", "en"):
            first = _text(_form_pages(pages[f"filled{form}_{lang}"])[0])
            for day in dates:
                assert day in first, f"附件{form} {lang}: {day} is not on its first page"


def test_typed_and_written_text_is_not_cut(printed):
    _, pages = printed
    text = "".join(_text(p) for p in pages["filled3_zh"])
    assert LONG_ZH[:FREE_TEXT] in text  # 完成情况, all ~120 characters, on paper
    summary = "".join(_text(p) for p in pages["filled8_zh"])
    assert "累计3次）：解聘或辞退" in summary  # 附件8's 处理意见 of a dismissal, whole
