"""Fixtures shared by the tests; the helpers they use are in tests/helpers.py."""

from __future__ import annotations

import pytest

from kpi_xl._util import i18n
from kpi_xl.cli import main
from kpi_xl.ledger import Ledger
from tests.helpers import office_key


@pytest.fixture(autouse=True)
def english():
    """Tests read messages in English, the language the code is written in (as with --lang en),
    also in worker processes; tests that take `chinese` check the default, Chinese."""
    with i18n.using("en"):
        yield


@pytest.fixture
def chinese(english):
    """Messages in Chinese, the default for a person, whatever KPI_XL_LANG says where tests run."""
    with i18n.using("zh"):
        yield


@pytest.fixture
def cli(capsys):
    """Run `kpi-xl ARGS…` in this process: (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def ledger(tmp_path):
    """A new, empty ledger in this test's folder."""
    with Ledger(tmp_path / "ledger.sqlite3") as opened:
        yield opened


@pytest.fixture
def key(tmp_path):
    """The office's signing key beside the `ledger` fixture's file (made on first use)."""
    return office_key(tmp_path / "ledger.sqlite3")
