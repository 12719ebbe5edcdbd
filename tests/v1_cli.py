"""``python tests/v1_cli.py ARGS``: the console entry point, in a process of its own, over the v1
catalogue (tests/catalogue.py), so that tests of exit codes, streams and files through a real
process pin the same numbers as the in-process ones, whatever rules are added later."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readiness.cli import main
from tests.catalogue import v1_catalogue

sys.argv[0] = "readiness"
with v1_catalogue():
    main()
