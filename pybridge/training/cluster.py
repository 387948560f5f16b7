"""Dask for the long training steps: a LocalCluster by default, any scheduler by address."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence


def make_client(scheduler: str | None, workers: int):
    """A Dask client: the given scheduler, or a local cluster of single-threaded workers."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    # Processes, one thread each: the work is subprocesses anyway, and a worker
    # per core keeps two clangs (plus their forked candidates) on two cores.
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    )  # any free port: others may hold 8787
    return Client(cluster)


def run_tasks(
    client, fn: Callable, items: Sequence, *args, desc: str, time_limit: float | None = None
) -> list:
    """Map ``fn(item, *args)`` over ``items`` on Dask with a tqdm bar; stop at ``time_limit``."""
    from distributed import as_completed
    from tqdm import tqdm

    futures = [
        client.submit(fn, item, *args, pure=False, priority=-i) for i, item in enumerate(items)
    ]
    results, failures = [], 0
    deadline = time.monotonic() + time_limit if time_limit else None
    bar = tqdm(total=len(futures), desc=desc, unit="mod", file=sys.stderr)
    done = as_completed(futures, with_results=False)
    try:
        for fut in done:
            try:
                results.append(fut.result())
            except Exception as exc:  # one bad module must not stop the run
                failures += 1
                bar.write(f"llmc: task failed: {type(exc).__name__}: {exc}"[:300])
            bar.update()
            if deadline and time.monotonic() > deadline:
                bar.write("llmc: time limit reached; unfinished modules resume next run")
                break
    finally:
        bar.close()
        client.cancel([f for f in futures if not f.done()])
    return results
