"""Moved to tests/helpers.py; importable from here only until the branches in flight have
rebased (then this module goes)."""

from tests.helpers import TEXTS, fill, random_values, valid_values, write_filled  # noqa: F401
