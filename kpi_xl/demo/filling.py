"""The demo's simulated people hand in filled forms: write each filled copy.

A module of its own and light to import, because each worker process (spawned on Windows
and macOS) imports it before its first job; the year's simulation needs pandas, this does not.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from .._util.paths import write_atomic
from ..forms import FormSpec
from ..render.xlsx import render_book

FilledForm = tuple[FormSpec, dict[str, Any], Path]


def write_filled(job: FilledForm, key: bytes) -> None:
    """One filled copy, signed with `key` as `kpi-xl forms` signs the form it was typed into."""
    spec, values, path = job
    write_atomic(path, render_book([spec.filled(values)], generated_from=spec, key=key))


def write_all_filled(jobs: list[FilledForm], workers: int, key: bytes) -> None:
    """Write every filled copy. Each job and the key reach the worker as arguments: spawned
    workers inherit nothing from this process."""
    if workers > 1 and len(jobs) > 40:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(partial(write_filled, key=key), jobs, chunksize=16))
    else:
        for job in jobs:
            write_filled(job, key)
