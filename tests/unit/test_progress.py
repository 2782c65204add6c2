"""Progress lines reach the command that started the run in this process, and nowhere otherwise."""

from leap_assets import progress


def test_lines_reach_the_sink_only_inside_the_block():
    lines: list[str] = []
    progress.report("before")
    with progress.reporting_to(lines.append):
        progress.report("  seats/attendance_2026-10-12.tsv: 10 rows loaded")
        with progress.reporting_to(lambda line: lines.append(f"inner {line}")):
            progress.report("week")
        progress.report("after inner")
    progress.report("after")
    assert lines == ["  seats/attendance_2026-10-12.tsv: 10 rows loaded", "inner week", "after inner"]
