"""Moodle VLE activity: the learning events of the week's day files, events per day against the same
weekday a week earlier (a truncated or missing day file), coverage of the population, unmapped
activity and freshness."""

from datetime import date

import pandas as pd

from expectations.suites import build, expect

SOURCE = "moodle"
NOT_LEARNING_ORIGINS = ["cli", "cron", "restore"]


def events(first_day: date, last_day: date, min_same_day_share: float):
    """Loaded events of the week's day files (columns edulevel, anonymous, origin, event_date, file_date):
    only participating, named, interactive learning events, dated within the week and on their file's day."""
    e = expect()
    return build(
        "moodle.events",
        [
            e.ExpectColumnValuesToBeInSet(
                column="edulevel", value_set=[2], meta={"label": "Only participating events (edulevel 2) are kept"}
            ),
            e.ExpectColumnValuesToBeInSet(
                column="anonymous", value_set=[0], meta={"label": "No anonymous events are kept"}
            ),
            e.ExpectColumnValuesToNotBeInSet(
                column="origin",
                value_set=NOT_LEARNING_ORIGINS,
                meta={"label": "No events from cli, cron or restore are kept"},
            ),
            e.ExpectColumnValuesToBeBetween(
                column="event_date",
                min_value=pd.Timestamp(first_day),
                max_value=pd.Timestamp(last_day),
                meta={"label": f"Events are dated within {first_day} to {last_day}"},
            ),
            e.ExpectColumnPairValuesToBeEqual(
                column_A="event_date",
                column_B="file_date",
                mostly=min_same_day_share,
                meta={"label": f"At least {min_same_day_share:.0%} of events fall on their file's day"},
            ),
        ],
    )


def daily_volume(min_ratio: float):
    """Events per day of the VLE window against the same weekday a week earlier (metrics.daily_volume)."""
    return build(
        "moodle.daily_volume",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="ratio",
                min_value=min_ratio,
                meta={"label": f"No day of the VLE window fell below {min_ratio:.0%} of its weekday's baseline"},
            )
        ],
    )


def coverage(min_share: float):
    """Share of the week's population with a learning event in the VLE window (metrics.coverage)."""
    return build(
        "moodle.coverage",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="share",
                min_value=min_share,
                max_value=1,
                meta={"label": f"At least {min_share:.0%} of each school's students appear in Moodle's VLE window"},
            )
        ],
    )


def mapping(max_unmapped_share: float):
    """Share of the window's learning events whose user or course no SITS mapping knows
    (frame: kind = users | courses, unmapped, events, share_of_events)."""
    return build(
        "moodle.mapping",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="share_of_events",
                min_value=0,
                max_value=max_unmapped_share,
                meta={"label": f"At most {max_unmapped_share:.0%} of events are on unmapped users or courses"},
            )
        ],
    )


def freshness(max_lag_days: int):
    """The newest event dated on or before the week's end is at most `max_lag_days` before it."""
    e = expect()
    return build(
        "moodle.freshness",
        [
            e.ExpectColumnValuesToNotBeNull(column="lag_days", meta={"label": "Moodle holds events for the week"}),
            e.ExpectColumnValuesToBeBetween(
                column="lag_days",
                min_value=0,
                max_value=max_lag_days,
                meta={"label": f"The newest event is at most {max_lag_days} day(s) before the week's end"},
            ),
        ],
    )
