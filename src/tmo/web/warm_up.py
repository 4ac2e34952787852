"""The warm-up process: builds profile answers and hands them to the server that started
it, one pickled `(key, parts, error)` at a time on standard output.

    python -m tmo.web.warm_up STORE ISO3 [ISO3 ...]

It stops when the server is gone: before each build it checks its parent, and a closed
pipe ends it too.
"""

from __future__ import annotations

import os
import pickle
import sys

import duckdb

from tmo.errors import TmoError
from tmo.web.profile_cache import build_answer


def main(argv: list[str] | None = None) -> int:
    db, *codes = argv if argv is not None else sys.argv[1:]
    parent = os.getppid()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to the server's log, not into the stream
    con = duckdb.connect(db, read_only=True)
    try:
        for iso3 in codes:
            if os.getppid() != parent:
                return 0
            key = (iso3, None, None)
            try:
                item = (key, tuple(build_answer(con, key)), None)
            except TmoError as exc:  # a data problem of one country, reported as data
                item = (key, None, str(exc))
            pickle.dump(item, out)
            out.flush()
    except BrokenPipeError:
        return 0
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
