"""The term's calendar: days, report weeks, extract dates and Europe/London timestamps.

Days are counted from the term's first Monday (day 0), so every generator works on small integers and
only turns them into dates and ISO 8601 text when writing.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

# Terms of a UK academic year (August to July) and when each conventionally starts.
PERIODS = (("AUT", "Autumn term", 8), ("SPR", "Spring term", 1), ("SUM", "Summer term", 4))


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which the academic year holding `day` began (August to July)."""
    return day.year if day.month >= 8 else day.year - 1


def period_code(day: dt.date) -> str:
    """AUT for August-December, SPR for January-March, SUM for April-July."""
    if day.month >= 8:
        return "AUT"
    return "SPR" if day.month <= 3 else "SUM"


@dataclass(frozen=True)
class Term:
    """One generated term: `weeks` report weeks from the Monday `start`."""

    start: dt.date
    weeks: int

    @property
    def days(self) -> int:
        """Length of the term in days."""
        return 7 * self.weeks

    @property
    def end(self) -> dt.date:
        """The term's last day (a Sunday)."""
        return self.start + dt.timedelta(days=self.days - 1)

    def date(self, day: int) -> dt.date:
        """The calendar date of term day `day` (negative days fall before the term)."""
        return self.start + dt.timedelta(days=int(day))

    def offset(self, day: dt.date) -> int:
        """Term day number of a calendar date."""
        return (day - self.start).days

    @property
    def period_code(self) -> str:
        """AUT, SPR or SUM, by the start date."""
        return period_code(self.start)

    @property
    def academic_year(self) -> str:
        """`2026/27` style text of the academic year the term starts in."""
        first = academic_year_start(self.start)
        return f"{first}/{(first + 1) % 100:02d}"

    @property
    def year_code(self) -> str:
        """Short academic-year code used inside identifiers, e.g. 2627."""
        first = academic_year_start(self.start)
        return f"{first % 100:02d}{(first + 1) % 100:02d}"

    @cached_property
    def extract_days(self) -> list[int]:
        """SITS extract dates: a week before the term, then every report date (start + 7k)."""
        return [-7, *range(7, self.days + 1, 7)]

    @property
    def middle(self) -> int:
        """First day of the term's second half."""
        return 7 * ((self.weeks + 1) // 2)

    @cached_property
    def midnight_epochs(self) -> list[int]:
        """Epoch seconds of local midnight for term days 0..days (one extra for day lengths)."""
        return [local_epoch(self.date(d), 0) for d in range(self.days + 1)]

    def transition_days(self) -> list[int]:
        """Term days on which London changes its clocks (25 or 23 hour days)."""
        lengths = [b - a for a, b in zip(self.midnight_epochs, self.midnight_epochs[1:], strict=False)]
        return [d for d, length in enumerate(lengths) if length != 86400]


def local_epoch(day: dt.date, minute: int) -> int:
    """Epoch seconds of a London wall-clock time (first occurrence in the repeated October hour)."""
    hour, minute = divmod(int(minute), 60)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    return int(moment.timestamp())


def iso_local(day: dt.date, minute: int, zulu_when_gmt: bool = False) -> str:
    """ISO 8601 with the London offset of that moment: `+01:00` in BST, `+00:00` (or `Z`) in GMT."""
    hour, minute = divmod(int(minute), 60)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    offset = moment.utcoffset() or dt.timedelta(0)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if offset == dt.timedelta(0):
        return text + ("Z" if zulu_when_gmt else "+00:00")
    sign = "+" if offset > dt.timedelta(0) else "-"
    hours, rest = divmod(abs(int(offset.total_seconds())), 3600)
    return f"{text}{sign}{hours:02d}:{rest // 60:02d}"


def iso_utc(epoch: int) -> str:
    """ISO 8601 in UTC with `Z`."""
    return dt.datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_from_epoch_local(epoch: int) -> str:
    """ISO 8601 of an instant written in London local time with its offset."""
    moment = dt.datetime.fromtimestamp(int(epoch), tz=LONDON)
    return moment.isoformat(timespec="seconds")
