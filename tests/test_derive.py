"""A person's form derived from their layout's (forms/derive.py) is the form declared for
them alone: equal FormSpecs (every cell, check, rule, height and meta) and the same workbook,
for every per-person form in both languages, with plans and odd texts (a name that is a label,
an empty position, a department shaped like a mark's neighbour); a declaration that uses a
person's text inside another text is never derived."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from kpi_xl.forms import Context, declared, form_for
from kpi_xl.forms.derive import MARKS, prototype
from kpi_xl.forms.spec import Text
from kpi_xl.office.forms import form_jobs
from kpi_xl.render import xlsx
from kpi_xl.render.content import content_record
from kpi_xl.render.stamp import layout
from kpi_xl.roster import EMPLOYEE, Roster
from tests.helpers import MONTH, odd_plans, odd_roster

WHEN = datetime(2026, 12, 1, 8, 30, 15)


def _roster() -> Roster:
    people = list(odd_roster().people)
    staff = [i for i, p in enumerate(people) if p.category == EMPLOYEE]
    people[staff[2]] = replace(people[staff[2]], position="", supervisor=None, monthly_pay=None)
    people[staff[4]] = replace(people[staff[4]], name="", id="⟦kpi-xl id")
    return Roster(tuple(people), "odd")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_derived_form_is_the_declared_one(lang):
    roster = _roster()
    plans = odd_plans(roster)
    ctx = Context(MONTH, lang)
    kinds, derived = set(), 0
    for job in form_jobs(roster, lang):
        plan = plans.get(job.subject) if job.form == 3 else None
        got, want = form_for(job.form, job.subject, roster, ctx, plan), declared(job.form, job.subject, roster, ctx, plan)
        assert got == want, job
        assert got.header == want.header and got.cached_values == want.cached_values and got.formulas == want.formulas
        assert got.fingerprint() == want.fingerprint() and got.generated_digest == want.generated_digest
        assert content_record(got) == content_record(want) and layout(got) == layout(want), job
        derived += got.origin is not None
        if (job.form, job.subject in plans) not in kinds:  # one workbook of each kind, byte for byte
            kinds.add((job.form, job.subject in plans))
            assert xlsx.render(got, WHEN, key=bytes(32)) == xlsx.render(want, WHEN, key=bytes(32)), job
    assert {f for f, _ in kinds} == {1, 2, 3, 4, 5, 6} and (3, True) in kinds
    assert derived >= len(form_jobs(roster, lang)) * 0.9  # the forms are derived, not declared again


def test_deriving_leaves_the_layout_as_it_was():
    roster = _roster()
    ctx = Context(MONTH)
    people = [p for p in roster.people if p.category == EMPLOYEE][:2]
    first = form_for(1, people[0].id, roster, ctx)
    form_for(1, people[1].id, roster, ctx)
    assert first.origin is not None and first == declared(1, people[0].id, roster, ctx)
    marked = first.origin.form
    assert MARKS["name"] in [c.text for c in marked.cells if isinstance(c, Text)] and marked.meta["subject_name"] == MARKS["name"]


def test_a_mark_used_inside_another_text_is_not_derived():
    spec = declared(1, next(p.id for p in _roster().people if p.category == EMPLOYEE), _roster(), Context(MONTH))
    whole = [replace(c, text=MARKS["name"]) if isinstance(c, Text) and c.shows == "name" else c for c in spec.cells]
    assert prototype(replace(spec, cells=whole)) is not None
    inside = [replace(c, text=f"{MARKS['name']}的计划") if isinstance(c, Text) and c.shows == "name" else c for c in spec.cells]
    assert prototype(replace(spec, cells=inside)) is None
    assert prototype(replace(spec, cells=whole, instructions=[*spec.instructions, MARKS["id"]])) is None


def test_a_sheet_digest_with_a_few_tokens_changed_is_the_sheet_digest_of_the_changed_cells():
    import random

    from kpi_xl._util.content import Placed, sheet_digest

    rng = random.Random(14)
    for _ in range(200):
        places = rng.sample([(r, c) for r in range(12) for c in range(6)], rng.randint(1, 40))
        if rng.random() < 0.1:
            places.append(places[0])  # a place written twice: the tokens decide the order
        cells = [(r, c, rng.choice([None, "s甲", "sb", "n1"])) for r, c in places]
        placed = Placed(cells, formulas=3)
        for _ in range(3):
            tokens = {i: rng.choice([None, "s", "s新", "n2"]) for i in rng.sample(range(len(cells)), min(4, len(cells)))}
            changed = [(r, c, tokens.get(i, tok)) for i, (r, c, tok) in enumerate(cells)]
            assert placed.digest(tokens) == sheet_digest(changed, 3)
