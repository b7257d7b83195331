"""The demo's simulated people hand in filled forms: write each filled copy.

A module of its own and light to import, because each worker process (spawned on Windows
and macOS) imports it before its first job; the year's simulation needs pandas, this does not.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .._util.paths import write_atomic
from ..forms import FormSpec
from ..render.xlsx import render_book

FilledForm = tuple[FormSpec, dict[str, Any], Path]


def write_filled(job: FilledForm) -> None:
    spec, values, path = job
    write_atomic(path, render_book([spec.filled(values)], generated_from=spec))


def write_all_filled(jobs: list[FilledForm], workers: int) -> None:
    """Write every filled copy. Each job reaches its worker as an argument: spawned workers
    inherit nothing from this process."""
    if workers > 1 and len(jobs) > 40:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(write_filled, jobs, chunksize=16))
    else:
        for job in jobs:
            write_filled(job)
