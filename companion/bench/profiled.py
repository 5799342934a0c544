"""`python -m companion.bench.profiled OUT.prof <yiwaiwai args...>`: a subcommand under cProfile.

`yiwaiwai bench --profile DIR` starts the sandbox and the companion this way
(stats in DIR/sandbox.prof and DIR/run.prof, read with `python -m pstats`).
Both processes stop on SIGTERM through their normal shutdown, so the stats
are written.
"""

from __future__ import annotations

import cProfile
import sys


def main(argv: list[str]) -> int:
    out, args = argv[0], argv[1:]
    from companion.cli import main as cli_main

    profile = cProfile.Profile()
    profile.enable()
    try:
        return int(cli_main(args) or 0)
    finally:
        profile.disable()
        profile.dump_stats(out)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
