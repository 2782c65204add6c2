"""The transparency page (governance.md): one self-contained HTML page, inline CSS, no script and no
external resource, written for students and staff rather than for data engineers. Everything it says
comes from the source registry, the access file (as counts by role) and the rule thresholds."""

from dataclasses import dataclass
from datetime import date

from leap_assets.governance.quality_html import CSS, e
from leap_assets.governance.transparency_fields import plain_name
from leap_assets.sources.registry import Registry, Source

SMALL = 5  # a count of staff from 1 to 4 in a role could point at a person (governance.md: small numbers)
PAGE_CSS = CSS + "nav.contents{background:#f6f8fa;border:1px solid #d0d7de;padding:.3rem 1rem;margin:1rem 0}"
SECTIONS = [
    ("purpose", "What it is for"),
    ("how-used", "How the data is used"),
    ("sources", "Where the data comes from, and which fields are used"),
    ("who-sees", "Who can see what"),
    ("requests", "Your rights, and how to make a request"),
    ("contacts", "Contacts"),
]

ROLES = [
    ("Personal and module tutors", "tutor", "Their personal tutees, and the students on the modules they teach.",
     "From the student record system (the tutor links of that week)."),
    ("School staff", "school", "The students of their school.", "Granted by the governance board."),
    ("Learning analytics team", "site_explorer", "Every student, to run and check the service.",
     "Granted by the governance board."),
    ("Administrators", "admin", "Every student, and the configuration.", "Granted by the governance board."),
]  # fmt: skip
REQUESTS = [
    ("A copy of your data (access)", "access",
     "Everything LEAP holds about you, in a file you can read, including who has viewed your record."),
    ("Erasure", "erasure",
     "Your data removed from LEAP and from the reports it has published; marks kept only where the law "
     "requires, with your identity removed."),
    ("Restriction, and lifting it", "restriction / lift_restriction",
     "Your data kept but no longer used in any report or analysis until the restriction is lifted."),
    ("Correction (rectification)", "rectification", "A wrong value put right in every later report."),
    ("Opting out of support contact, and back in", "opt_out / opt_in",
     "You stay in the figures, but your row says not to contact you about engagement."),
]  # fmt: skip


@dataclass
class Rules:
    """The thresholds the weekly status uses (dbt seed rule_thresholds), as whole numbers of percent/days."""

    attendance_days: int
    vle_days: int
    submission_days: int
    green_min: int
    amber_min: int


@dataclass
class PageContent:
    registry: Registry
    today: date
    rules: Rules
    grants: dict[str, int]  # role -> staff granted in the access file (no names)
    student_access: bool


def _approval(source: Source, today: date) -> str:
    if not source.approved_by or not source.approved_on or source.approved_on > today:
        return "<p><strong>Not in use:</strong> not approved by the governance board; LEAP does not read it.</p>"
    review = f"next review by {source.review_date}"
    if source.review_date and source.review_date < today:
        review = f"<strong>review overdue</strong> (was due {source.review_date})"
    return (
        f"<p><strong>Approved</strong> by {e(source.approved_by)} on {source.approved_on} "
        f"(consultation {e(source.consultation_ref)}); {review}.</p>"
    )


def _source(source: Source, today: date) -> str:
    special = (
        f"<p><strong>Special category data:</strong> {e(source.special_category)}</p>"
        if source.special_category
        else ""
    )
    files = "".join(
        f'<tr><td><code>{e(f.key)}</code><br><span class="note">{e(f.what)}</span></td><td><ul>'
        + "".join(
            f'<li><strong>{e(plain_name(name))}</strong> <span class="note">(<code>{e(name)}</code>)</span>: '
            f"{e(why)}</li>"
            for name, why in f.fields.items()
        )
        + "</ul></td></tr>"
        for f in source.files.values()
    )
    return f"""<section id="source-{e(source.key)}"><h3>{e(source.name)}</h3>
<p>{e(source.what)}</p>
<p><strong>Why:</strong> {e(source.purpose)}</p>
<p><strong>Lawful basis:</strong> {e(source.lawful_basis)}</p>{special}
{_approval(source, today)}
<table><thead><tr><th>File</th><th>Fields used, and why</th></tr></thead><tbody>{files}</tbody></table>
<p class="note">Nothing else in these files is read.</p></section>"""


def _how_used(rules: Rules) -> str:
    return f"""<p>Once a week, every Monday, LEAP looks at the week that has just ended and gives each student a
status of <strong>green</strong>, <strong>amber</strong> or <strong>red</strong> (or <em>no data</em>) from three
signs of engagement:</p>
<ul>
<li><strong>Attendance</strong> at required timetabled sessions over the last {rules.attendance_days} days
(undergraduates; cancelled sessions and authorised absences do not count against anyone; students approved to study
online only are not rated on attendance);</li>
<li><strong>Online engagement</strong>: activity in the online learning environment over the last {rules.vle_days} days,
compared with other students on the same modules;</li>
<li><strong>Submissions</strong>: assessed work due in the last {rules.submission_days} days, handed in on time, late
or not yet.</li>
</ul>
<p>The signs are combined into one score out of 100: green at {rules.green_min} or more, amber from {rules.amber_min},
red below {rules.amber_min}. Each status comes with the reasons for it, so that staff can see why.</p>
<p>Each school receives a report about its own students. A red or amber status is a prompt for a tutor or adviser to
get in touch and <strong>offer support</strong>: it is never used to punish a student, and it is not a judgement about
them. Staff record whether they made contact, so that next week's report shows it. LEAP never counts, compares or
ranks members of staff. Marks are never used in any rating. Group totals are checked each week for fairness between
groups of students (for example by sex, ethnicity or disability); any group of fewer than 5 students is hidden.</p>"""


def staff_count(count: int) -> str:
    """How many staff hold a role, as the page shows it: 1 to 4 suppressed."""
    return "fewer than 5" if 0 < count < SMALL else f"{count:,}"


def _contents(registry: Registry) -> str:
    """The page's contents, each source listed under its section."""
    items = []
    for anchor, title in SECTIONS:
        sub = ""
        if anchor == "sources":
            sub = (
                "<ul>"
                + "".join(f'<li><a href="#source-{e(s.key)}">{e(s.name)}</a></li>' for s in registry.sources.values())
                + "</ul>"
            )
        items.append(f'<li><a href="#{anchor}">{e(title)}</a>{sub}</li>')
    return f'<nav class="contents" aria-label="Contents"><strong>Contents</strong><ol>{"".join(items)}</ol></nav>'


def _who_sees(content: PageContent) -> str:
    rows = "".join(
        f"<tr><td>{e(label)}</td><td>{e(sees)}</td><td>{e(how)}</td>"
        f'<td class="num">{"from the student record" if role == "tutor" else staff_count(content.grants.get(role, 0))}'
        "</td></tr>"
        for label, role, sees, how in ROLES
    )
    students = (
        "Students can see their own rows."
        if content.student_access
        else "Students do not log in to LEAP; you can get a copy of everything it holds about you by asking (below)."
    )
    return f"""<table><thead><tr><th>Who</th><th>Sees</th><th>How access is given</th><th>Staff with this access
</th></tr></thead><tbody>{rows}</tbody></table>
<p class="note">A number of staff from 1 to 4 is shown as "fewer than 5", so that it cannot point at a person.</p>
<p>{students} Anyone else sees nothing. Every time someone views or exports student-level data through LEAP, it is
logged: who, in which role, which students and when.</p>"""


def _requests(registry: Registry) -> str:
    rows = "".join(
        f"<tr><td>{e(what)}</td><td>{e(means)}</td><td><code>{e(kind)}</code></td></tr>"
        for what, kind, means in REQUESTS
    )
    return f"""<p>You have rights over your data under UK data protection law. To use them, email
<a href="mailto:{e(registry.requests_email)}">{e(registry.requests_email)}</a> saying which of these you would like
(you do not need to use these words). We will confirm who you are, and reply within {e(registry.response_time)}.</p>
<table><thead><tr><th>You can ask for</th><th>What it means</th><th>Recorded as</th></tr></thead>
<tbody>{rows}</tbody></table>
<p>In rare cases where the University has a legal or welfare duty to a student who has opted out of support contact,
staff may still get in touch; the report then says so. You can also complain to the Information Commissioner's
Office (ico.org.uk).</p>"""


def _contacts(registry: Registry) -> str:
    rows = "".join(
        f'<tr><td>{e(c.role)}</td><td>{e(c.name)}</td><td><a href="mailto:{e(c.email)}">{e(c.email)}</a></td>'
        f"<td>{e(c.how)}</td></tr>"
        for c in registry.contacts
    )
    head = "<tr><th>Role</th><th>Who</th><th>Email</th><th>For</th></tr>"
    return f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"


def render(content: PageContent) -> str:
    registry = content.registry
    sources = "".join(_source(s, content.today) for s in registry.sources.values())
    titles = dict(SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Learning analytics at {e(registry.installation)}: how your data is used</title><style>{PAGE_CSS}</style></head>
<body>
<h1>Learning analytics at {e(registry.installation)}</h1>
<p class="lead">How the University uses data about your studies, who can see it, and how to ask about it.
Last updated {content.today}.</p>
{_contents(registry)}
<h2 id="purpose">{e(titles["purpose"])}</h2><p>{e(registry.purpose)}</p>
<h2 id="how-used">{e(titles["how-used"])}</h2>{_how_used(content.rules)}
<h2 id="sources">{e(titles["sources"])}</h2>{sources}
<h2 id="who-sees">{e(titles["who-sees"])}</h2>{_who_sees(content)}
<h2 id="requests">{e(titles["requests"])}</h2>{_requests(registry)}
<h2 id="contacts">{e(titles["contacts"])}</h2>{_contacts(registry)}
<p class="note">This page is generated by LEAP from its source registry, which the governance board approves;
it changes whenever the registry does. Values marked "(example)" are placeholders of this installation.</p>
</body></html>
"""
