"""Run the format writers. On Linux the site (the slowest writer: a page and a flowchart per
power) is written by a forked process while this one writes the other formats, so an export to
every format uses both cores. Any failure in either process fails the export as a whole.
"""

from __future__ import annotations

import importlib
import multiprocessing
import pickle
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection

from powerlist.export.clean import Cleaned
from powerlist.export.outdir import Staging

SIDE = "html"


def write_one(module: str, cleaned: Cleaned, staging: Staging) -> None:
    importlib.import_module(f"powerlist.export.{module}").write(cleaned, staging)


def _side(module: str, cleaned: Cleaned, staging: Staging, conn: Connection) -> None:
    """In the forked process: write, then send back the digests (or the exception)."""
    try:
        write_one(module, cleaned, staging)
        conn.send(("ok", staging.written()))
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent, which raises it
        try:
            conn.send(("error", exc))
        except (pickle.PicklingError, TypeError, AttributeError):  # it cannot be pickled: send its text
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def write_all(cleaned: Cleaned, staging: Staging, chosen: Sequence[str], modules: dict[str, str]) -> None:
    forked = SIDE in chosen and len(chosen) > 1 and sys.platform == "linux"
    if not forked:
        for name in chosen:
            write_one(modules[name], cleaned, staging)
        return
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_side, args=(modules[SIDE], cleaned, staging, send), daemon=True)
    child.start()
    send.close()
    try:
        for name in chosen:
            if name != SIDE:
                write_one(modules[name], cleaned, staging)
        try:
            status, payload = recv.recv()
        except EOFError:  # the process died without a word (killed, out of memory)
            status, payload = "error", RuntimeError(f"the {SIDE} writer process died")
    except BaseException:
        child.terminate()  # before the staging folder is removed
        raise
    finally:
        child.join()
        recv.close()
    if status != "ok":
        raise payload
    staging.add_digests(payload)
