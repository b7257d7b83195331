"""Recomputing many filled forms of one layout at once gives what one at a time gives."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import demo_specs, random_values, valid_values

SPECS = demo_specs()


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-12)
    return a == b


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(SPECS)), st.integers(0, 10_000), st.integers(2, 6))
def test_evaluate_many_equals_evaluate_one_by_one(name, seed, copies):
    spec = SPECS[name]
    rng = random.Random(seed)
    inputs = [valid_values(spec, rng) if i % 2 else random_values(spec, rng, blank_share=0.4) for i in range(copies)]
    inputs = [spec.generated_inputs() | one for one in inputs]
    together = spec.evaluate_many(inputs)
    for one, batch in zip(inputs, together):
        single = spec.evaluate(one)
        for cell in spec.computed:
            assert _same(batch[cell.key], single[cell.key]), (name, cell.key, batch[cell.key], single[cell.key])
