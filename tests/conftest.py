"""Shared fixtures."""

import pytest

from kpi_xl._util import i18n


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
