"""A policy as TOML text, every key written, from the keys' declarations (`policy_keys`).

What `load_policy` reads back to the same policy: for those who keep their policy as a text
file, and for the xlwings Lite bundle, which carries its policy as TOML whatever it was
given as (a workbook, a GBK file, a shipped name).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from .._util.i18n import _
from .._util.paths import write_atomic
from ..errors import KpiFileError
from ..policy import Policy, policy_keys


def write_policy_toml(policy: Policy, path: Path) -> None:
    """Write `policy` as TOML at `path`; a file already there is kept (a text file carries no
    sign of having been edited), unless it holds exactly this text."""
    text = policy_as_toml(policy)
    if path.exists() and path.read_bytes() != text.encode("utf-8"):
        raise KpiFileError(_("{path}: already exists; move it away or choose another output file").format(path=path))
    write_atomic(path, text.encode("utf-8"))


def policy_as_toml(policy: Policy) -> str:
    top: list[str] = []
    sections: dict[str, list[str]] = {}
    tables: dict[str, list[str]] = {}  # [[section.list]] entries, after the section's own keys
    for item in policy_keys(policy):
        section, dot, rest = item.key.partition(".")
        if not dot:
            top.append(f"{item.key} = {_value(item.value)}  # {item.setting.zh}")
            continue
        lines = sections.setdefault(section, [])
        if item.kind == "list of tables":
            blocks = tables.setdefault(section, [])
            for entry in item.value:
                blocks.append(f"\n[[{item.key}]]")
                blocks += [f"{f.name} = {_value(getattr(entry, f.name))}" for f in dataclasses.fields(entry)]
            continue
        lines.append(f"{rest} = {_value(item.value)}  # {item.setting.zh}")
    out = [*top]
    for section, lines in sections.items():
        out += ["", f"[{section}]", *lines, *tables.get(section, [])]
    return "\n".join(out) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string: JSON's escapes are TOML's
