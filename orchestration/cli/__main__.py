"""`python -m orchestration.cli`: the `leap` command (as tests, benchmarks and re-execs start it)."""

import sys

from orchestration.cli.commands import main

sys.exit(main())
