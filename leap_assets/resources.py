"""Resources the assets need; orchestration/resources.py instantiates them from the environment."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from leap_assets.settings import settings
from leap_assets.warehouse.db import connect


class LeapPaths(dg.ConfigurableResource):
    """Where the landing zone, warehouse and published outputs live, and the local calendar's zone.

    Unset fields are read from the environment (LEAP_LANDING, ...) when a run uses them.
    """

    landing: str | None = None
    warehouse: str | None = None
    publish: str | None = None
    zone: str | None = None

    @property
    def landing_path(self) -> Path:
        return Path(self.landing).resolve() if self.landing else settings().landing

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse).resolve() if self.warehouse else settings().warehouse

    @property
    def publish_path(self) -> Path:
        return Path(self.publish).resolve() if self.publish else settings().publish

    @property
    def timezone(self) -> str:
        return self.zone or settings().timezone

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one writer: open, write, close (dbt needs the file free afterwards)."""
        with connect(self.warehouse_path) as con:
            yield con

    @contextmanager
    def read(self, memory_limit: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A reader; with `memory_limit`, one that spills beyond it (warehouse/db.py `connect`)."""
        with connect(self.warehouse_path, read_only=True, memory_limit=memory_limit) as con:
            yield con
