"""Worker processes whose one bad item cannot take the batch down with it.

A worker that dies (out of memory, a crash in a library) breaks a whole
ProcessPoolExecutor, and with it every result still pending. Here the chunks that were lost
are run again, one item at a time in a fresh single-worker pool, so that only the item that
really kills its worker is given up, as `crashed(item, reason)`. Any other exception out of a
worker is a bug (the workers report bad input themselves) and is raised with its traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_isolated(
    func: Callable[[list[Item]], list[Result]],
    chunks: Sequence[list[Item]],
    workers: int,
    *,
    crashed: Callable[[Item, str], Result],
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    context: Any = None,
    on_done: Callable[[int], None] | None = None,
) -> list[list[Result]]:
    """`func` over every chunk in `workers` processes, results in the order of the chunks.
    `func` runs in a worker: a module-level function; its data comes through `initargs`."""
    results: list[list[Result] | None] = [None] * len(chunks)
    lost: list[int] = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs) as pool:
        futures = {pool.submit(func, chunk): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except (BrokenProcessPool, MemoryError):  # a worker died: find out which item killed it
                lost.append(i)
                continue
            if on_done:
                on_done(len(chunks[i]))
    for i in sorted(lost):
        results[i] = _one_at_a_time(func, chunks[i], crashed, initializer, initargs, context)
        if on_done:
            on_done(len(chunks[i]))
    return [r if r is not None else [] for r in results]


def _one_at_a_time(func: Callable[[list[Item]], list[Result]], chunk: list[Item], crashed: Callable[[Item, str], Result],
                   initializer: Callable[..., None] | None, initargs: tuple[Any, ...], context: Any) -> list[Result]:  # fmt: skip
    out: list[Result] = []
    pool: ProcessPoolExecutor | None = None
    try:
        for item in chunk:
            if pool is None:
                pool = ProcessPoolExecutor(1, mp_context=context, initializer=initializer, initargs=initargs)
            try:
                out.extend(pool.submit(func, [item]).result())
            except (BrokenProcessPool, MemoryError) as exc:  # this item kills its worker; a bug is raised
                out.append(crashed(item, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__))
                pool.shutdown(wait=True)
                pool = None  # the next item gets a fresh worker
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return out
