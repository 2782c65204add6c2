"""LEAP's assets, checks and the code they share (the README's Layout says which room may import which)."""

import warnings

# Every weekly asset builds a partition range in one run (`BackfillPolicy.single_run()`, what `leap
# backfill` relies on). Dagster marks that parameter beta and says so on stderr at every import: a line
# the person running `leap` or `make dev` can do nothing about. Only that one warning is silenced.
warnings.filterwarnings("ignore", message=r"Parameter `backfill_policy` of function `asset` is currently in beta")
