"""Python's cycle collector paused during a long step that builds millions of objects.

A 100,000-row summary holds millions of cells, formulas and values at once; the collector
walks all of them again and again while they are being made (a third of a 20,000-staff
annual summary's time, measured in bench/scale.py), yet they hold no cycles to free.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside (what is freed by reference counts still is); restored
    as it was after, also on an error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
