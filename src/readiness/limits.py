"""The bounds within which every plan and rubric is read, each declared once.

docs/plan-format.md lists them for users; the loader, the field types, custom rules and the
command line all take them from here.
"""

from __future__ import annotations

import datetime as dt

MAX_BYTES = 8 * 1024 * 1024  # the largest file read by default (--max-bytes changes it)
MAX_DEPTH = 64  # nesting levels, in the file and after alias expansion
MAX_EVENTS = 2_000_000  # YAML events, as the parser reports them
MAX_NODES = 1_000_000  # nodes after alias expansion
MAX_INT_DIGITS = 4300  # digits of an integer in an x- value, in any base (Python's own bound for decimal text)
MAX_SHOWN = 50  # errors of one plan shown; the rest are counted

DATE_MIN = dt.date(1900, 1, 1)  # the range of every date in a plan, a rubric and --as-of
DATE_MAX = dt.date(2199, 12, 31)
DATE_RANGE = f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
MAX_DAYS = 36_500  # the most days any *_days field or rule option counts
