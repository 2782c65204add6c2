"""Moodle: one `logstore_<date>.csv` per day, generated a day at a time from each user's engagement.

On a day a student is active with a probability set by their engagement; an active day holds one to
three sessions of over-dispersed size (OULAD's shape, see `calibration`), spread over the student's
modules (more before a deadline), opened by a course page, and preceded on the web by a login and
often the dashboard. Around that: staff teaching, anonymous feedback, cron and CLI jobs, course
restores, "log in as", failed logins, visiting students no mapping covers and site-wide courses.
"""

import numpy as np

from leap_assets.synthetic import calibration as cal
from leap_assets.synthetic import moodle_events as ev
from leap_assets.synthetic.assessments import Assessments
from leap_assets.synthetic.engagement import expit
from leap_assets.synthetic.reading_week import ReadingWeek
from leap_assets.synthetic.structure import SITE_COURSES, Structure, ascii_slug
from leap_assets.synthetic.students import NEVER, Students
from leap_assets.synthetic.timeline import Term
from leap_assets.synthetic.vle_format import APP, CLI, CRON, HEADER, KIND_INDEX, RESTORE, WEB, Batch, format_lines
from leap_assets.synthetic.writer import Output

LEARNING_P = np.array([p for _, p in ev.LEARNING]) / sum(p for _, p in ev.LEARNING)
STAFF_KINDS = np.array([KIND_INDEX[k] for k, _ in ev.STAFF])
STAFF_P = np.array([p for _, p in ev.STAFF]) / sum(p for _, p in ev.STAFF)
GRADES_STUDENT = np.zeros(max(KIND_INDEX.values()) + 1, dtype=bool)
GRADES_STUDENT[[KIND_INDEX[k] for k, _ in ev.STAFF if k.related == "student"]] = True
ADMIN = 2  # Moodle's admin user
JOB_IP = "10.0.0.5"  # the Moodle server itself, for cron and CLI jobs
FIRST_LOG_ID = 48_213_577


class Moodle:
    """Users, their courses and the running log id; `write_day` writes one day's export."""

    def __init__(self, seed: int, term: Term, structure: Structure, st: Students, asm: Assessments,
                 student_uid: np.ndarray, visitor_uid: np.ndarray, staff_uid: np.ndarray,
                 reading: ReadingWeek | None = None) -> None:  # fmt: skip
        self.seed, self.term, self.st, self.reading = seed, term, st, reading
        rng = np.random.default_rng([seed, 30])
        modules = np.unique(structure.mod_moodle)
        self.course_ids = np.concatenate([modules, list(SITE_COURSES.values())])
        self.site = np.arange(len(modules), len(self.course_ids))
        course_of_module = np.searchsorted(modules, structure.mod_moodle)
        self.reading_course = np.zeros(len(self.course_ids), dtype=bool)
        if reading is not None:
            self.reading_course[course_of_module[sorted(reading.modules)]] = True

        self._slots(rng, term, structure, st, len(visitor_uid), course_of_module)
        n, v = st.n, len(visitor_uid)
        self.uid = np.concatenate([student_uid, visitor_uid])
        self.start = np.concatenate([st.start_day, np.zeros(v, dtype=np.int64)])
        self.stop = np.concatenate([np.where(st.withdraw_day != NEVER, st.withdraw_day, term.days),
                                    np.full(v, term.days)])  # fmt: skip
        self.level = np.concatenate([st.level, rng.normal(0, 1, (v, 1)) + np.zeros((v, term.weeks))])
        self.counted = np.concatenate([np.ones(n, bool), np.zeros(v, bool)])
        self.volume = rng.lognormal(-(cal.VLE_VOLUME_SD**2) / 2, cal.VLE_VOLUME_SD, n + v)
        assert structure.staff is not None
        self._accounts(st, structure, student_uid, visitor_uid, staff_uid)

        self.boost = np.ones((len(self.course_ids), term.days + 3))
        for m, due in zip(asm.inst_module.tolist(), asm.inst_due.tolist(), strict=True):
            self.boost[course_of_module[m], max(0, due - 3) : due + 1] += cal.VLE_DEADLINE_BOOST
        # Staff per course: its module tutor(s), who also grade its students.
        self.tutor_uid = np.zeros(len(self.course_ids), dtype=np.int64)
        self.tutor_uid[course_of_module] = staff_uid[structure.mod_tutor]
        self.support_uid = staff_uid[structure.staff.dept == -1]
        enr = st.enrolments
        self.members = [
            np.unique(student_uid[enr.student[course_of_module[enr.module] == j]]) for j in range(len(modules))
        ]
        decay = np.exp(-cal.VLE_WEEKLY_DECAY * np.arange(term.weeks))
        self.week_factor = decay / decay.mean()
        self.next_id = FIRST_LOG_ID
        self.feedback_weeks = {term.weeks // 2, term.weeks - 1}
        self.qualifying = 0

    def _slots(self, rng: np.random.Generator, term: Term, structure: Structure, st: Students, visitors: int,
               course_of_module: np.ndarray) -> None:  # fmt: skip
        """Each user's Moodle courses (one slot per module row) with the days they are on them."""
        n, enr = st.n, st.enrolments
        per = np.bincount(enr.student, minlength=n)
        k = max(3, int(per.max(initial=0)))
        self.slot = np.full((n + visitors, k), -1)
        self.slot_start = np.zeros((n + visitors, k), dtype=np.int64)
        self.slot_end = np.full((n + visitors, k), -1)
        col = np.arange(len(enr.student)) - np.repeat(np.cumsum(per) - per, per)
        self.slot[enr.student, col] = course_of_module[enr.module]
        self.slot_start[enr.student, col] = enr.start
        self.slot_end[enr.student, col] = enr.end
        # Visiting students sit in on three whole-term undergraduate modules.
        full = np.flatnonzero((structure.mod_start == 0) & (structure.mod_end == term.days - 1) & ~structure.mod_pg)
        for i in range(visitors):
            self.slot[n + i, :3] = course_of_module[rng.choice(full, 3, replace=False)]
            self.slot_end[n + i, :3] = term.days - 1
        self.pref = rng.lognormal(0, 0.4, self.slot.shape)

    def _accounts(self, st: Students, structure: Structure, student_uid: np.ndarray, visitor_uid: np.ndarray,
                  staff_uid: np.ndarray) -> None:  # fmt: skip
        """Usernames by Moodle user id, and where each user connects from."""
        assert structure.staff is not None
        self.username = np.full(int(max(self.uid.max(), staff_uid.max())) + 1, "", dtype=object)
        self.username[student_uid] = [
            f"{ascii_slug(f)[:1]}{ascii_slug(la)[:5]}{s[-3:]}"
            for f, la, s in zip(st.first, st.last, st.sid, strict=True)
        ]
        self.username[visitor_uid] = [f"visitor{i + 1:03d}" for i in range(len(visitor_uid))]
        self.username[staff_uid] = [f"{ascii_slug(f)[:1]}{ascii_slug(la)}" for f, la in
                                    zip(structure.staff.first, structure.staff.last, strict=True)]  # fmt: skip
        self.known = self.username[student_uid]
        users = range(len(self.uid))
        self.home_ip = np.array([f"{('192.0.2', '203.0.113')[i % 2]}.{i * 7 % 254 + 1}" for i in users], dtype=object)
        self.campus_ip = np.array([f"10.{40 + i % 60}.{i // 60 % 250}.{i % 250 + 2}" for i in users], dtype=object)
        self.app_ip = np.array([f"198.51.100.{i * 13 % 254 + 1}" for i in users], dtype=object)

    def null_token(self, day: int) -> str:
        """How empty ids are written: the export job changed at mid-term (and one day was a dump)."""
        half = self.term.days // 2
        return "\\N" if day == half - 1 else "NULL" if day >= half else ""

    def write_day(self, out: Output, day: int) -> None:
        """Generate and write `moodle/logstore_<date>.csv` for term day `day`."""
        rng = np.random.default_rng([self.seed, 31, day])
        batch = Batch()
        midnight = self.term.midnight_epochs[day]
        length = self.term.midnight_epochs[day + 1] - midnight
        self._learning(rng, batch, day, midnight, length)
        self._around(rng, batch, day, midnight)
        lines, self.next_id, counted = format_lines(rng, batch, self.next_id, self.course_ids, self.username,
                                                    self.known, self.null_token(day))  # fmt: skip
        self.qualifying += counted
        out.write(f"moodle/logstore_{self.term.date(day)}.csv", HEADER, lines, "moodle", sep=",", newline="\r\n")

    def _learning(self, rng: np.random.Generator, batch: Batch, day: int, midnight: int, length: int) -> None:
        week, weekday = day // 7, day % 7
        on = (self.slot >= 0) & (self.slot_start <= day) & (day <= self.slot_end)
        users = np.flatnonzero((self.start <= day) & (day < self.stop) & on.any(axis=1))
        z = self.level[users, week].astype(float)
        students = users < self.st.n
        z[students] += cal.VLE_ONLINE_ONLY_BOOST * self.st.online_on(day)[users[students]]
        p = expit(np.log(cal.VLE_ACTIVE_SHARE / (1 - cal.VLE_ACTIVE_SHARE)) + cal.VLE_ACTIVE_SLOPE * z)
        active = rng.random(len(users)) < np.minimum(0.97, p * cal.VLE_WEEKDAY_FACTOR[weekday])
        users, z = users[active], z[active]
        mean = cal.VLE_EVENTS_PER_ACTIVE_DAY * self.volume[users] * np.exp(cal.VLE_COUNT_SLOPE * z)
        mean = np.maximum(mean * self.week_factor[week] - 1, 0.05)
        count = 1 + rng.negative_binomial(cal.VLE_NB_SHAPE, cal.VLE_NB_SHAPE / (cal.VLE_NB_SHAPE + mean))
        sessions = np.minimum(count, 1 + (rng.random(len(users)) < 0.35) + (rng.random(len(users)) < 0.1))
        owner = np.repeat(np.arange(len(users)), count)  # position in `users` of each event
        rank = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
        first_session = np.cumsum(sessions) - sessions
        session = first_session[owner] + rank * sessions[owner] // count[owner]
        n_sessions = int(sessions.sum())
        hour = rng.choice(24, n_sessions, p=np.array(cal.VLE_HOURLY) / sum(cal.VLE_HOURLY))
        begin = hour * 3600 + rng.integers(0, 3600, n_sessions)
        gaps = rng.exponential(75.0, len(owner))
        elapsed = np.cumsum(gaps)
        opens = np.r_[0, np.flatnonzero(np.diff(session)) + 1] if len(session) else np.zeros(0, dtype=np.int64)
        offset = elapsed - elapsed[opens][session]
        time = midnight + np.minimum(begin[session] + offset.astype(np.int64), length - 1)

        weights = self.pref[users] * on[users] * self.boost[np.maximum(self.slot[users], 0), day]
        cum = np.cumsum(weights, axis=1)
        pick = rng.random(len(owner)) * cum[owner, -1]
        k = np.minimum((pick[:, None] >= cum[owner]).sum(axis=1), self.slot.shape[1] - 1)
        course = self.slot[users[owner], k]
        site = rng.random(len(owner)) < cal.VLE_UNMAPPED_COURSE_SHARE
        course[site] = rng.choice(self.site, int(site.sum()))
        kind = rng.choice(len(ev.LEARNING), len(owner), p=LEARNING_P)
        kind[opens] = KIND_INDEX[ev.learning("\\core\\event\\course_viewed")]
        session_user = users[owner[opens]]
        if self.reading is not None and week == self.reading.week:
            keep = self._still_reading(day, course, opens)
            owner, course, time, kind, site, session = (a[keep] for a in (owner, course, time, kind, site, session))

        app = rng.random(n_sessions) < cal.VLE_APP_SHARE
        in_hours = (weekday < 5) & (hour >= 9) & (hour < 18) & (rng.random(n_sessions) < 0.6)
        ip = np.where(app, self.app_ip[session_user], np.where(in_hours, self.campus_ip[session_user],
                                                                 self.home_ip[session_user]))  # fmt: skip
        uid = self.uid[users[owner]]
        related = np.where([ev.LEARNING[i][0].related == "self" for i in range(len(ev.LEARNING))], 1, 0)[kind]
        counted = self.counted[users[owner]] & ~site
        batch.add(kind, uid, course, time, np.where(app, APP, WEB)[session], ip[session],
                  related=np.where(related == 1, uid, -1), counts=counted)  # fmt: skip
        web = ~app
        login = midnight + np.maximum(begin[web] - 3, 0)
        batch.add(KIND_INDEX[ev.LOGGED_IN], self.uid[session_user[web]], -1, login, WEB, ip[web])
        dash = web & (rng.random(n_sessions) < 0.6)
        batch.add(KIND_INDEX[ev.DASHBOARD], self.uid[session_user[dash]], -1, midnight + np.maximum(begin[dash] - 1, 0),
                  WEB, ip[dash])  # fmt: skip

    def _still_reading(self, day: int, course: np.ndarray, opens: np.ndarray) -> np.ndarray:
        """Which events stay in a reading week: students read on, but do about half as much on its courses."""
        rng = np.random.default_rng([self.seed, 32, day])
        keep = ~self.reading_course[course] | (rng.random(len(course)) < cal.READING_WEEK_VLE_SHARE)
        keep[opens] = True  # a session still opens on its course page
        return keep

    def _around(self, rng: np.random.Generator, batch: Batch, day: int, midnight: int) -> None:
        """Events that must not count, from staff, jobs, restores, admins, guests and surveys."""
        st, weekday = self.st, day % 7
        alive = np.flatnonzero((st.start_day <= day) & ~st.gone_by(day))
        if not len(alive):
            return

        def clock(n: int, lo: int = 8, hi: int = 22) -> np.ndarray:
            return midnight + rng.integers(lo * 3600, hi * 3600, n)

        def some(n: int) -> np.ndarray:
            return alive[rng.integers(0, len(alive), n)]

        def first_course(who: np.ndarray) -> np.ndarray:
            on = (self.slot[who] >= 0) & (self.slot_start[who] <= day) & (day <= self.slot_end[who])
            return np.where(on.any(axis=1), self.slot[who, np.argmax(on, axis=1)], self.site[0])

        scale = st.n / 1000
        learning_kind = KIND_INDEX[ev.learning("\\mod_resource\\event\\course_module_viewed")]
        who = some(rng.poisson(scale / 5) + (weekday == 1))  # "log in as": support checks a student's view
        batch.add(learning_kind, self.uid[who], first_course(who), clock(len(who), 9, 17), WEB,
                  "10.20.0.15", real=rng.choice(np.r_[ADMIN, self.support_uid], len(who)))  # fmt: skip
        failed = rng.poisson(scale) + (weekday == 0)
        batch.add(KIND_INDEX[ev.LOGIN_FAILED], 0, -1, clock(failed, 0, 24), WEB,
                  self.home_ip[rng.integers(0, len(self.home_ip), failed)])  # fmt: skip
        who = some(rng.poisson(scale * 2) + (weekday == 3))  # overdue quiz attempts closed by cron
        batch.add(KIND_INDEX[ev.QUIZ_SUBMITTED], self.uid[who], first_course(who), clock(len(who), 2, 3), CLI, JOB_IP,
                  related=self.uid[who])  # fmt: skip
        who = some(rng.poisson(scale) + (weekday == 4))
        batch.add(KIND_INDEX[ev.COMPLETION], self.uid[who], first_course(who), clock(len(who), 3, 4), CRON, JOB_IP,
                  related=self.uid[who])  # fmt: skip
        if day < 3:  # last year's courses restored into this year's shells, with completion data
            who = some(rng.poisson(scale * 3) + 1)
            batch.add(KIND_INDEX[ev.COMPLETION], self.uid[who], first_course(who), clock(len(who), 6, 7), RESTORE,
                      JOB_IP, related=self.uid[who])  # fmt: skip
        if day // 7 in self.feedback_weeks:  # module evaluation: anonymous responses
            who = alive[rng.random(len(alive)) < 0.04]
            batch.add(KIND_INDEX[ev.FEEDBACK], self.uid[who], first_course(who), clock(len(who)), WEB,
                      self.home_ip[who], anonymous=1)  # fmt: skip
        # Teaching staff activity grows with the size of the course.
        size = np.array([len(m) for m in self.members])
        per_course = rng.poisson((0.5 + 0.03 * size) * (1.0 if weekday < 5 else 0.15)) * (size > 0)
        course = np.repeat(np.arange(len(self.members)), per_course)
        kinds = STAFF_KINDS[rng.choice(len(STAFF_KINDS), len(course), p=STAFF_P)]
        related = np.array([self.members[j][rng.integers(len(self.members[j]))] for j in course.tolist()],
                           dtype=np.int64)  # fmt: skip
        grading = GRADES_STUDENT[kinds]
        batch.add(kinds, self.tutor_uid[course], course, clock(len(course), 8, 19), WEB, "10.20.4.33",
                  related=np.where(grading, related, -1))  # fmt: skip
