"""Moved to tests/helpers.py; importable from here only until the branches in flight have
rebased (then this module goes)."""

from tests.helpers import convert, soffice_or_skip  # noqa: F401
