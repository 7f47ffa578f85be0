"""The cyclic garbage collector around bulk work: one idiom for the loader, its workers and the checks.

Loading allocates millions of small containers and frees almost none; the collector would rescan
them again and again (measured: 1.8-2.3x the load time at 100,000 powers). :func:`collector_off`
pauses it for such a block. Once loaded, the catalogue is long-lived while the checks run:
:func:`built_then_frozen` builds it with the collector off and moves it to the permanent
generation *before* the collector is back (re-enabling first would make the very next allocation
scan every object the load made), so the collections the checks' own allocations trigger never
rescan it (measured: seconds per check at 100,000 powers). When the block ends the freeze is
undone: the objects go back to the oldest generation, so a long-running process (a server, the
test suite) does not keep every object that was alive at some check pinned out of the collector's
reach for good. :func:`frozen` does the same around a block that works on something already built
(an export's writers).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

_T = TypeVar("_T")


@contextmanager
def collector_off() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks are fine: the outermost restores)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Everything alive on entry sits in the permanent generation until the block ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def built_then_frozen(build: Callable[[], _T]) -> Iterator[_T]:
    """``build()`` with the collector off, then frozen (with the rest of the heap) for the block."""
    with collector_off():
        value = build()
        gc.freeze()
    try:
        yield value
    finally:
        gc.unfreeze()
