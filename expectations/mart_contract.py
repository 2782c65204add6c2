"""The engagement_weekly mart's public columns, read from where they are stated: the dbt YAML.

`dbt_project/models/marts/engagement_weekly.yml` enforces the contract (names, order, types) when
dbt builds the mart; the Great Expectations contract suite and the tests read the same list from it,
so a column is named in one place only (engagement-rules.md, "Output", is what that file follows).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

MART_YAML = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "marts" / "engagement_weekly.yml"


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str


@cache
def mart_columns(path: Path = MART_YAML) -> tuple[Column, ...]:
    """The mart's contract columns, in order, with their dbt data types."""
    models = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []
    mart = next((model for model in models if model.get("name") == "engagement_weekly"), None)
    if mart is None or not mart.get("columns"):
        raise ValueError(f"{path}: no engagement_weekly model with columns")
    return tuple(Column(column["name"], column["data_type"]) for column in mart["columns"])


def contract_column_names(path: Path = MART_YAML) -> list[str]:
    """The column names, in order."""
    return [column.name for column in mart_columns(path)]
