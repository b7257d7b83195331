"""Messages in the reader's language: Chinese by default, English with `--lang en`.

Every message a person reads goes through `_()` (or `ngettext()` when it counts something):
    from kpi_xl._util.i18n import _
    raise KpiError(_("{where}: {what} is not a number (got {value}); type a number").format(...))
The msgids are English, the language maintainers read the code in; the Chinese lives in
kpi_xl/locale/zh/LC_MESSAGES/kpi_xl.po. A msgid missing there shows in English, which a
Chinese reader notices, and tests/test_i18n.py fails on it. After adding or changing a
message: `python -m kpi_xl._util.messages` adds it to the catalogue, then translate it there.

The language is chosen once per command (`--lang`, else the KPI_XL_LANG environment
variable, else zh) and kept in KPI_XL_LANG too, so worker processes started with `spawn`
(Windows, macOS) speak the same language as the command that started them.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

from .po import compile_mo, parse_po

DOMAIN = "kpi_xl"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"
ENV = "KPI_XL_LANG"
SOURCE = "en"  # the msgids' language: no catalogue needed

_chosen: str | None = None
# Catalogues handed over in memory by a bundle without package files (the xlwings Lite main.py).
SUPPLIED: dict[str, str] = {}


def from_environment() -> str:
    """KPI_XL_LANG as zh or en (zh_CN.UTF-8 counts as zh); zh when unset or unknown."""
    value = os.environ.get(ENV, "").strip().lower()[:2]
    return value if value in LANGUAGES else DEFAULT


def language() -> str:
    return _chosen or from_environment()


def set_language(lang: str) -> None:
    """Speak `lang` from now on, here and in the worker processes started from here."""
    global _chosen
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: use one of {', '.join(LANGUAGES)}")
    _chosen = lang
    os.environ[ENV] = lang


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block; the language before is restored after it."""
    before_chosen, before_env = _chosen, os.environ.get(ENV)
    set_language(lang)
    try:
        yield
    finally:
        _restore(before_chosen, before_env)


def _restore(chosen: str | None, env: str | None) -> None:
    global _chosen
    _chosen = chosen
    if env is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = env


def catalogue_text(lang: str) -> str:
    """The .po file shipped in the package (package data, found wherever it is installed)."""
    if lang in SUPPLIED:
        return SUPPLIED[lang]
    path = resources.files("kpi_xl").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    return path.read_text(encoding="utf-8")


@cache
def translation(lang: str) -> gettext.NullTranslations:
    if lang == SOURCE:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_mo(parse_po(catalogue_text(lang)))))


def _(message: str) -> str:
    """`message` in the current language."""
    return translation(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    return translation(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `translated()` it where it is shown."""
    return message


def translated(marked: str) -> str:
    """A message marked with N_() elsewhere (a constant, a table entry), in the current language."""
    return translation(language()).gettext(marked)
