"""A person's form derived from their layout's, declared once per process (issue 14).

Two people's 附件1 (or 附件3 of one position and plan, 附件2/5 of two departments, …) differ
in the texts saying whom the form is for — the header's 工号, 姓名, 部门 and the meta's
subject — and in nothing else: declaring ~300 cells, their checks and rules again for each
person is most of the cost of a month's forms. So each layout is declared once, for a
stand-in person whose id, name and department are marks no roster holds, and a person's
form is that one with the marks replaced (FormSpec.with_texts), sharing what is worked out
from its cells (cached values, formulas, fingerprint).

Only a mark that is a whole Text cell or a whole meta value is replaced; a declaration that
uses one any other way (in a longer text, a label, an input's value) leaves a mark found
elsewhere in the form, and that layout is declared for every person as before. Whatever
else a declaration reads of a person (the position: 附件3's scorecard; the category) is part
of the layout's key. Per process, built on first use: spawned workers build their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..roster import Person
from .common import Context
from .spec import FormSpec, Text

# what no roster holds, each standing for one text of the person or department
MARKS = {name: f"\u27e6kpi-xl {name}\u27e7" for name in ("id", "name", "department", "head_department")}
_BY_MARK = {mark: name for name, mark in MARKS.items()}
_LIMIT = 1024  # layouts kept per Context: a company has a few per position


class Prototype:
    """A layout declared for the stand-in, and where its marks are."""

    def __init__(self, spec: FormSpec, cells: list[tuple[int, str]], meta: list[tuple[str, str]]):
        self.spec, self.cells, self.meta = spec, cells, meta
        # worked out once for every form of the layout
        spec.cached_values, spec.fingerprint(), spec.generated_digest  # noqa: B018

    def form(self, values: dict[str, str]) -> FormSpec:
        return self.spec.with_texts({i: values[name] for i, name in self.cells},
                                    {key: values[name] for key, name in self.meta})  # fmt: skip


def prototype(spec: FormSpec) -> Prototype | None:
    """`spec` declared for the stand-in, None when a mark is anywhere but a whole Text cell or
    a whole meta value."""
    cells = [(i, _BY_MARK[c.text]) for i, c in enumerate(spec.cells) if type(c) is Text and c.text in _BY_MARK]
    meta = [(key, _BY_MARK[value]) for key, value in spec.meta.items() if value in _BY_MARK]
    whole = repr(spec)  # every field and cell, as text
    if sum(whole.count(mark) for mark in MARKS.values()) != len(cells) + len(meta):
        return None
    return Prototype(spec, cells, meta)


# per Context (by identity: hashing one hashes its whole policy), the few latest: a run has one
# or two (its languages), a long-lived process (the tests, Excel's UDF server) many over time
_PROTOTYPES: dict[int, tuple[Context, dict[tuple, Prototype | None]]] = {}
_CONTEXTS = 4


def derived(ctx: Context, layout: tuple, marked: Callable[[], FormSpec], values: dict[str, str],
            direct: Callable[[], FormSpec]) -> FormSpec:  # fmt: skip
    """The form `direct()` declares, derived from `marked()` (the same declaration for the
    stand-in) declared once for `layout`: the key of everything else the declaration reads."""
    entry = _PROTOTYPES.get(id(ctx))
    if entry is None or entry[0] is not ctx:
        while len(_PROTOTYPES) >= _CONTEXTS:
            del _PROTOTYPES[next(iter(_PROTOTYPES))]
        entry = _PROTOTYPES[id(ctx)] = (ctx, {})
    layouts = entry[1]
    if layout not in layouts:
        if len(layouts) >= _LIMIT:
            layouts.clear()
        layouts[layout] = prototype(marked())
    made = layouts[layout]
    return made.form(values) if made is not None else direct()


def stand_in(person: Person, department_mark: str = MARKS["department"]) -> Person:
    """`person` with marks for what differs between people of one layout, and nothing of
    theirs that no form shows (a declaration reading it would then differ: tests/test_derive.py)."""
    return replace(person, id=MARKS["id"], name=MARKS["name"], department=department_mark,
                   supervisor=None, monthly_pay=None, annual_salary=None)  # fmt: skip


def person_values(person: Person) -> dict[str, str]:
    return {"id": person.id, "name": person.name, "department": person.department}


def hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
