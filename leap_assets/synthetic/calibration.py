"""Behaviour constants of the synthetic university, each with where it comes from.

VLE figures were derived once from the Open University Learning Analytics Dataset (OULAD; Kuzilek,
Hlosta & Zdrahal 2017, Scientific Data 4:170171, CC BY 4.0), using the public samples of its
`studentVle` table (`sum_click` per student, resource and day). The generator never reads OULAD.

- `studentVle_head13905` (course AAA-2013J, 383 registered students, days -10..1, complete days):
  share of registered students with any activity on a day 0.33-0.62, mean 0.41; clicks per active
  student-day mean 30.9, variance 1160 (negative binomial by moments: shape r = 0.85), median 23.
- `studentVle_sample100k` (0.94% row sample, all 22 presentations): activity by day-of-presentation
  mod 7 is 0.78, 0.95, 1.20, 1.19, 1.11, 1.00, 0.77 of the mean (two adjacent low days: read as the
  weekend); rows per week fall from 1.42 (week 0) to 0.52 (week 11) of the 12-week mean, about 9% a
  week, half of which is withdrawal in OU's distance-learning cohorts (modelled here separately).

Everything else (attendance, submissions, the share of special cases) is a stated assumption chosen
so that a weekly report shows mostly green, a fair amount of amber and some red.
"""

# --- latent engagement (one level per student, in standard-normal units) ---------------------------
DRIFT_SHARE = 0.15  # students whose engagement slides during the term
DRIFT_PER_WEEK = (0.12, 0.40)  # range of the slide, in SD per week after its onset
WEEKLY_NOISE_SD = 0.35  # week-to-week wobble (illness, deadlines elsewhere)
WITHDRAWER_SHIFT = -0.8  # students who withdraw were less engaged to begin with

# --- VLE (Moodle) ---------------------------------------------------------------------------------
VLE_ACTIVE_SHARE = 0.41  # OULAD: share of students active on a day, at the median student
VLE_ACTIVE_SLOPE = 0.5  # logit change of that share per SD of engagement
VLE_EVENTS_PER_ACTIVE_DAY = 9.5  # qualifying events on an active day (OULAD clicks 31 count every
# page load; Moodle's participating events are fewer: the brief's 3-6 per student-day fixes the level)
VLE_COUNT_SLOPE = 0.15  # log change of that volume per SD of engagement
# OULAD's over-dispersion across student-days (shape 0.85, squared CV 1.21) is split into a lasting
# difference between students (some simply use Moodle more: lognormal SD 0.45, plus engagement) and
# day-to-day noise within a student: 1.21 = 1/31 + (1 + 0.25) / shape + 0.25 gives shape 1.35.
VLE_VOLUME_SD = 0.45
VLE_NB_SHAPE = 1.35
# Mon..Sun, from OULAD's weekly cycle (see above).
VLE_WEEKDAY_FACTOR = (0.95, 1.20, 1.19, 1.11, 1.00, 0.77, 0.78)
VLE_WEEKLY_DECAY = 0.045  # OULAD's 9%/week, less the half that is withdrawal
VLE_ONLINE_ONLY_BOOST = 0.5  # online-only students lean on the VLE (SD units)
VLE_DEADLINE_BOOST = 1.5  # extra weight of a module in the 3 days before one of its deadlines
VLE_UNMAPPED_COURSE_SHARE = 0.06  # student events on site-wide courses (library, student hub)
READING_WEEK_VLE_SHARE = 0.5  # learning events kept on a department's courses in its reading week
VLE_APP_SHARE = 0.12  # sessions from the Moodle app (origin `ws`, qualifying)
# Session start by local hour 0..23 (a typical campus Moodle: late morning, afternoon, evening).
VLE_HOURLY = (
    0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.5, 1.5, 3.0, 5.5, 7.0, 7.0,
    6.0, 6.5, 7.0, 7.0, 6.5, 5.5, 5.0, 5.5, 6.0, 5.5, 4.0, 2.0,
)  # fmt: skip

# --- attendance (SEAtS) ---------------------------------------------------------------------------
ATTEND_LOGIT = 1.9  # median student attends ~87% of mandatory sessions
ATTEND_SLOPE = 1.25
ATTEND_TYPE_LOGIT = {"LEC": -0.3, "SEM": 0.3, "TUT": 0.3, "LAB": 0.5, "WKS": 0.0, "DRP": -1.8}
ATTEND_ONLINE_ONLY = 0.03  # online-only students rarely come in
LATE_SHARE = 0.08  # of attended sessions
AUTHORISED_DAY_SHARE = 0.01  # student-days covered by an authorised absence (X)
CANCELLED_SHARE = 0.015  # sessions cancelled (C for every student)
EMPTY_CATEGORY_SHARE = 0.08  # P/L/A rows exported with no category (derived by LEAP)
GROUP_SIZE = 22  # seminar / lab group size

# --- submissions ----------------------------------------------------------------------------------
ON_TIME_LOGIT = 3.0
ON_TIME_SLOPE = 1.4
LATE_NOT_MISSING_LOGIT = 1.2  # of the rest: late rather than never
LATE_NOT_MISSING_SLOPE = 0.8
MARKING_DAYS = 21

# --- special cases (shares of students; at least one of each whenever possible) -------------------
PG_SHARE = 0.22
LATE_JOINER_SHARE = 0.004
WITHDRAWAL_SHARE = 0.025
TRANSFER_SHARE = 0.004
FOUNDATION_SHARE = 0.03  # of year 2-3 undergraduates: an earlier foundation-year membership
ONLINE_ONLY_SHARE = 0.04  # of undergraduates in the schools that keep a list
TUTOR_CHANGE_SHARE = 0.01
VISITOR_SHARE = 0.006  # Moodle users no studentidmap covers (visiting students)
