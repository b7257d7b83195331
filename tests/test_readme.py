"""README.md's command table names every command of `kpi-xl`."""

import argparse
import re
from pathlib import Path

from kpi_xl.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"


def commands() -> set[str]:
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return {name for action in actions for name in action.choices}


def test_every_command_is_in_the_readme_command_table():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Commands"):]
    table = table[: table.index("\n\n", table.index("| command"))]
    documented = set(re.findall(r"^\| `kpi-xl ([a-z-]+)", table, flags=re.M))
    assert len(commands()) >= 10
    assert sorted(commands() - documented) == [], "add these to README.md's command table"
    assert sorted(documented - commands()) == [], "README.md's command table names commands that do not exist"
