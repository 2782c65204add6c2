"""Resources the assets need; orchestration/resources.py instantiates them from the environment."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from leap_assets.warehouse.db import connect


class LeapPaths(dg.ConfigurableResource):
    """Where the landing zone, warehouse and published outputs live, and the local calendar's zone."""

    landing: str
    warehouse: str
    publish: str
    timezone: str = "Europe/London"

    @property
    def landing_path(self) -> Path:
        return Path(self.landing).resolve()

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse).resolve()

    @property
    def publish_path(self) -> Path:
        return Path(self.publish).resolve()

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one writer: open, write, close (dbt needs the file free afterwards)."""
        with connect(self.warehouse_path) as con:
            yield con

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(self.warehouse_path, read_only=True) as con:
            yield con
