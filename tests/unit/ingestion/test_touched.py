from datetime import date

from leap_assets.ingestion import seats
from leap_assets.ingestion.touched import Touched, read_touched, vle_weeks, weeks_for, weeks_touched
from tests.support.landing import write

FIRST = date(2024, 9, 2)
TODAY = date(2024, 12, 4)  # a Wednesday: the newest complete week is 2024-11-25
WEEK_3 = date(2024, 10, 7)
WEEK_4 = date(2024, 10, 14)
WEEK_5 = date(2024, 10, 21)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_a_moodle_day_lies_in_the_vle_window_of_two_weeks():
    assert vle_weeks(d("2024-10-09")) == [WEEK_3, WEEK_4]
    assert vle_weeks(d("2024-10-13")) == [WEEK_3, WEEK_4]  # a Sunday: still the week it ends


def test_a_moodle_day_rebuilds_its_two_vle_weeks_and_the_trend_of_the_week_after():
    weeks = weeks_for(Touched(moodle_dates={d("2024-10-09")}), set(), TODAY, FIRST)
    assert weeks == [WEEK_3, WEEK_4, WEEK_5]


def test_a_seats_correction_of_a_week_3_session_rebuilds_weeks_3_and_4():
    assert weeks_for(Touched(seats_dates={d("2024-10-09")}), set(), TODAY, FIRST) == [WEEK_3, WEEK_4]


def test_a_sits_extract_rebuilds_the_weeks_whose_snapshot_it_becomes_until_the_next_extract():
    complete = {d("2024-09-16"), d("2024-10-14"), d("2024-11-04")}
    weeks = weeks_for(Touched(sits_extracts={d("2024-10-14")}), complete, TODAY, FIRST)
    # Report dates 2024-10-14 .. 2024-10-28 now use the new extract; 2024-10-28's week only for its trend.
    assert weeks == [WEEK_3, WEEK_4, WEEK_5, d("2024-10-28")]


def test_a_sits_extract_dated_mid_week_starts_at_the_first_report_date_on_or_after_it():
    weeks = weeks_for(Touched(sits_extracts={d("2024-11-20")}), {d("2024-09-16"), d("2024-11-20")}, TODAY, FIRST)
    assert weeks == [d("2024-11-18"), d("2024-11-25")]


def test_the_oldest_sits_extract_is_also_the_fallback_of_every_earlier_week():
    weeks = weeks_for(Touched(sits_extracts={d("2024-09-20")}), {d("2024-09-20"), d("2024-09-30")}, TODAY, FIRST)
    assert weeks == [d("2024-09-02"), d("2024-09-09"), d("2024-09-16"), d("2024-09-23")]


def test_a_school_list_rebuilds_the_weeks_from_its_first_to_its_last_date():
    touched = Touched(school_ranges=[(d("2024-10-02"), d("2024-10-16"))])
    assert weeks_for(touched, set(), TODAY, FIRST) == [d("2024-09-30"), WEEK_3, WEEK_4, WEEK_5]


def test_an_open_ended_school_list_runs_to_the_newest_complete_week():
    weeks = weeks_for(Touched(school_ranges=[(d("2024-11-06"), None)]), set(), TODAY, FIRST)
    assert weeks == [d("2024-11-04"), d("2024-11-11"), d("2024-11-18"), d("2024-11-25")]


def test_weeks_not_yet_complete_or_before_the_first_week_are_never_returned():
    touched = Touched(moodle_dates={d("2024-11-30"), d("2024-12-03"), d("2024-08-10")})
    assert weeks_for(touched, set(), TODAY, FIRST) == [d("2024-11-25")]
    assert weeks_for(touched, set(), date(2024, 9, 8), FIRST) == []


def test_a_seats_correction_that_moves_a_session_rebuilds_the_old_and_the_new_week(con, landing):
    header = "STUDENT_ID\tEVENT_ID\tEVENT_MANDATORY\tSTART_TIME\tEVENT_ATTENDED\n"
    write(landing / "seats" / "attendance_2024-10-10.tsv", header + "00000001\tEV1\t1\t2024-10-09T09:00:00Z\t0\n")
    seats.ingest(con, landing, "Europe/London")
    write(landing / "seats" / "attendance_2024-10-20.tsv", header + "00000001\tEV1\t1\t2024-10-16T09:00:00Z\t1\n")
    seats.ingest(con, landing, "Europe/London")
    correction = ["seats/attendance_2024-10-20.tsv"]
    assert read_touched(con, correction).seats_dates == {d("2024-10-09"), d("2024-10-16")}
    assert weeks_touched(con, correction, TODAY, FIRST) == [WEEK_3, WEEK_4, WEEK_5]
