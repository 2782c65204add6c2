"""`leap`, the command line: a thin layer over the same Dagster jobs the UI runs.

commands.py holds the group and the everyday commands; governance, privacy, purge, quality and oulad
their groups; steps.py the steps they share (generate, ingest, build weeks, re-publish); common.py
the one-sentence error and the argument checks; help.py what `leap -h` shows after the commands;
demo.py the demo's contact loop and ending. Run bookkeeping is orchestration/runs/.

`leap` (pyproject's entry point) and `from orchestration.cli import main` both reach the group.
"""

from orchestration.cli.commands import main

__all__ = ["main"]
