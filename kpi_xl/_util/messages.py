"""Keep the message catalogue in step with the code: `python -m kpi_xl._util.messages`.

Finds every `_("…")`, `ngettext("…", "…", n)` and `N_("…")` in kpi_xl/ and udfs/, and
rewrites kpi_xl/locale/zh/LC_MESSAGES/kpi_xl.po with them: translations kept, new messages
added with an empty msgstr (translate them there), messages no longer in the code kept at
the end as obsolete (#~) so a reworded message can reuse its old translation.
Prints how many messages there are and which are untranslated; exit status 1 if any are.
A maintainer's tool: it works on the source tree (kpi_xl/ beside udfs/), not an installed copy.
"""

from __future__ import annotations

import ast
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from .po import Entry, format_entry, parse_po

ROOT = Path(__file__).resolve().parents[2]  # the source tree: kpi_xl/_util/messages.py
SOURCES = (ROOT / "kpi_xl", ROOT / "udfs")
CATALOGUE = ROOT / "kpi_xl" / "locale" / "zh" / "LC_MESSAGES" / "kpi_xl.po"
FUNCTIONS = {"_": 1, "N_": 1, "ngettext": 2}

HEADER = """\
# kpi-xl messages in Chinese. The msgids are the English the code is written in.
# Regenerate with `python -m kpi_xl._util.messages`; translate every empty msgstr.
# Keep each message's {placeholders}, cell references and values; translate the words.
msgid ""
msgstr ""
"Project-Id-Version: kpi-xl\\n"
"Language: zh_CN\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


@dataclass
class Found:
    msgid: str
    plural: str | None
    where: str


def found_in(path: Path) -> tuple[list[Found], list[str]]:
    """The messages marked in one file, and the calls that cannot be extracted (not literals)."""
    found, bad = [], []
    relative = path.relative_to(ROOT).as_posix()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            continue
        count = FUNCTIONS[node.func.id]
        args = node.args[:count]
        where = f"{relative}:{node.lineno}"  # for problems; the catalogue names only the file (stable under edits)
        if len(args) < count or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            bad.append(f"{where}: {node.func.id}() needs string literals (an f-string is never found in the catalogue)")
            continue
        found.append(Found(args[0].value, args[1].value if count == 2 else None, relative))
    return found, bad


def extract() -> tuple[list[Found], list[str]]:
    found, bad = [], []
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            f, b = found_in(path)
            found += f
            bad += b
    return found, bad


def _is_brace_format(text: str) -> bool:
    try:
        return any(name is not None for _, name, _, _ in string.Formatter().parse(text))
    except ValueError:
        return False


def update(catalogue: Path = CATALOGUE) -> tuple[int, list[str], list[str]]:
    old = {e.msgid: e for e in parse_po(catalogue.read_text(encoding="utf-8"))} if catalogue.exists() else {}
    old.update(_obsolete(catalogue))
    found, bad = extract()
    entries: dict[str, Entry] = {}
    for f in found:
        entry = entries.get(f.msgid)
        if entry is None:
            before = old.get(f.msgid)
            msgstr = before.msgstr if before and (before.msgid_plural is None) == (f.plural is None) else [""]
            entry = entries[f.msgid] = Entry(f.msgid, f.plural, list(msgstr))
            if _is_brace_format(f.msgid):
                entry.flags.add("python-brace-format")
            if before and "fuzzy" in before.flags:
                entry.flags.add("fuzzy")
        if f.where not in entry.references:
            entry.references.append(f.where)
    obsolete = [e for msgid, e in old.items() if msgid and msgid not in entries and any(e.msgstr)]
    text = HEADER + "".join("\n" + format_entry(e) for e in entries.values())
    for e in obsolete:
        e.references = []
        text += "\n" + "".join(f"#~ {line}\n" for line in format_entry(e).splitlines())
    catalogue.parent.mkdir(parents=True, exist_ok=True)
    catalogue.write_text(text, encoding="utf-8")
    untranslated = [e.msgid for e in entries.values() if not e.translated]
    return len(entries), untranslated, bad


def _obsolete(catalogue: Path) -> dict:
    """The #~ entries, so a message that comes back gets its translation back."""
    if not catalogue.exists():
        return {}
    lines = [line[3:] for line in catalogue.read_text(encoding="utf-8").splitlines() if line.startswith("#~ ")]
    return {e.msgid: e for e in parse_po("\n".join(lines))}


def main() -> int:
    total, untranslated, bad = update()
    print(f"{CATALOGUE.relative_to(ROOT)}: {total} messages, {len(untranslated)} untranslated")
    for msgid in untranslated:
        print(f"  untranslated: {msgid!r}")
    for problem in bad:
        print(f"  {problem}")
    return 1 if untranslated or bad else 0


if __name__ == "__main__":
    sys.exit(main())
