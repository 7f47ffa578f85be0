"""The ``powerlist`` console script (and ``python -m powerlist``).

It lives outside :mod:`powerlist.cli` so that an unchanged re-run of ``check`` can be answered by
:mod:`powerlist.replay` before typer, pydantic or rich are imported (importing the cli package
loads typer: ~0.15 s of a run that otherwise needs ~0.05 s).
"""

from __future__ import annotations

import sys


def main() -> None:
    from powerlist.replay import serve_argv

    try:
        replayed = serve_argv(sys.argv[1:])
    except KeyboardInterrupt:
        print("powerlist: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    if replayed is not None:
        raise SystemExit(replayed)
    from powerlist.cli import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()
