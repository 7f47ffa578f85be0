"""A progress bar for long runs: only on a terminal, only once a run has taken ~2 s, never with
--quiet or machine formats (their output must stay clean)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DELAY_S = 2.0


@contextmanager
def progress_reporter(enabled: bool = True) -> Iterator[Callable[[str, int, int], None] | None]:
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    start = time.monotonic()
    state: dict[str, Any] = {"bar": None, "task": None}

    def report(phase: str, done: int, total: int) -> None:
        if state["bar"] is None:
            if time.monotonic() - start < DELAY_S:
                return
            bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(phase, total=total)
        state["bar"].update(state["task"], completed=done, total=total, description=phase)

    try:
        yield report
    finally:
        if state["bar"] is not None:
            state["bar"].stop()
