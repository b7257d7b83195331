"""Moved to tests/helpers.py; importable from here only until the branches in flight have
rebased (then this module goes)."""

from tests.helpers import MONTH, all_specs, demo_specs, template_specs  # noqa: F401
