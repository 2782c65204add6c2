"""The governance report's first lines: which school reports of the week were published or held (the
quality gate's statuses, marts.report_status), and links to the weeks before and after."""

import html
from datetime import date, timedelta

from leap_assets.checks.gate import SchoolStatus


def e(value) -> str:
    return html.escape(str(value))


STATUS_LABELS = {"published": "Published", "held": "Held back", "released": "Released"}


def statuses_table(statuses: list[SchoolStatus]) -> str:
    """The gate's verdict per school, and why."""
    if not statuses:
        return "<p>No school has students in this week: no reports.</p>"
    rows = []
    for s in statuses:
        if s.status == "published":
            why = "Every blocking check passed for this school."
        elif s.status == "held":
            why = (
                f"{e(s.checks)} failed: {e(s.observed)}. Expected: {e(s.threshold)}. If this was a non-teaching "
                f"week, list it in the academic calendar and run the week again; or a named person may release "
                f"it: <code>leap quality release --week {s.week} --school ... --by ... --reason ...</code>."
            )
        else:
            why = e(f"Held by {s.checks} ({s.observed}); released by {s.released_by}: {s.release_reason}")
        rows.append(
            f'<tr><td>{e(s.school)}</td><td><span class="verdict {s.status}">{STATUS_LABELS[s.status]}</span></td>'
            f"<td>{why}</td></tr>"
        )
    head = "<thead><tr><th>School</th><th>Report</th><th>Why</th></tr></thead>"
    return f"<table>{head}{''.join(rows)}</table>"


def banner(statuses: list[SchoolStatus]) -> str:
    """Which school reports of the week were published and which were held, before anything else."""
    if not statuses:
        return '<div class="banner">No school has students in this week: no school reports.</div>'
    groups = {label: [s.school for s in statuses if s.status == key] for key, label in STATUS_LABELS.items()}
    held = groups[STATUS_LABELS["held"]]
    parts = [f"<strong>{e(label)}:</strong> {e(', '.join(names))}" for label, names in groups.items() if names]
    css = "some-held" if held else "all-published"
    head = (
        f"{len(held)} of {len(statuses)} school report(s) held back this week.</strong> Nobody in a held "
        "school is offered support from this week's report until it is fixed or released."
        if held
        else f"Every school's report ({len(statuses)}) is published this week.</strong>"
    )
    return f'<div class="banner {css}" role="status"><strong>{head}<br>{"<br>".join(parts)}</div>'


def weeks_nav(week: date) -> str:
    """Links to the reports of the week before and after, by their place in the publish folder."""
    before, after = week - timedelta(days=7), week + timedelta(days=7)
    link = "../../{0}/governance/data-quality.html"
    return (
        f'<nav class="weeks"><a href="{link.format(before)}">&larr; Week of {before}</a>'
        f'<a href="{link.format(after)}">Week of {after} &rarr;</a></nav>'
        '<p class="note">The next week\'s report exists once that week has been run.</p>'
    )
