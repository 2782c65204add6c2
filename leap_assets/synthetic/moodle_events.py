"""Moodle `logstore_standard_log` event kinds, with the fields Moodle itself gives each one.

Names, components, crud and edulevel follow Moodle's event classes (e.g. `course_viewed` is a
participating event whoever views; the grader report is a teaching event). `other` is Moodle's JSON;
its `%` placeholders are filled per row from the parameter letters: c course-module id, i instance
id, u user id, d an item id, x a small number, n a username, t a resource title.
"""

from dataclasses import dataclass

# Activities in every Moodle course: (type, how many). Course module ids are allocated in blocks.
CM_TYPES = (("resource", 18), ("page", 8), ("url", 4), ("folder", 3), ("book", 2), ("forum", 3),
            ("quiz", 5), ("assign", 4), ("h5pactivity", 3), ("lti", 2), ("feedback", 1))  # fmt: skip
CM_BLOCK = 60
CM_OFFSET = {}
_at = 0
for _type, _count in CM_TYPES:
    CM_OFFSET[_type] = (_at, _count)
    _at += _count

# Context levels, as Moodle numbers them.
SYSTEM, USER, COURSE, MODULE = 10, 30, 50, 70


@dataclass(frozen=True)
class Kind:
    """One kind of logstore event and how its fields are filled."""

    eventname: str
    edulevel: int
    crud: str
    cm_type: str | None = None  # None: a course-level event (or system/user, see `context`)
    other: str = "null"
    params: str = ""
    related: str = ""  # "self": relateduserid is the user; "student": a student of the course
    context: int = 0  # SYSTEM or USER for events outside any course; 0: from cm_type

    @property
    def prefix(self) -> str:
        """`eventname,component,action,target,crud,edulevel` as written in the export."""
        _, component, _, name = self.eventname.split("\\")
        action = name.split("_")[-1]
        target = name[: -len(action) - 1]
        return f"{self.eventname},{component},{action},{target},{self.crud},{self.edulevel}"

    @property
    def other_csv(self) -> str:
        """`other` quoted for RFC 4180 (placeholders kept)."""
        text = self.other
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if ('"' in text or "," in text) else text


def _view(module: str) -> Kind:
    return Kind(f"\\mod_{module}\\event\\course_module_viewed", 2, "r", module)


# Student learning events (qualifying when the user and course are mapped) and their shares.
LEARNING: tuple[tuple[Kind, float], ...] = (
    (Kind("\\core\\event\\course_viewed", 2, "r"), 0.20),
    (_view("resource"), 0.19),
    (_view("page"), 0.08),
    (_view("url"), 0.04),
    (_view("folder"), 0.03),
    (_view("book"), 0.015),
    (Kind("\\mod_book\\event\\chapter_viewed", 2, "r", "book", '{"chapterid":%d}', "d"), 0.02),
    (_view("forum"), 0.05),
    (Kind("\\mod_forum\\event\\discussion_viewed", 2, "r", "forum", '{"forumid":%d}', "i"), 0.07),
    (Kind("\\mod_forum\\event\\post_created", 2, "c", "forum",
          '{"discussionid":%d,"forumid":%d,"forumtype":"general"}', "di"), 0.012),
    (Kind("\\mod_forum\\event\\discussion_created", 2, "c", "forum", '{"forumid":%d}', "i"), 0.004),
    (_view("quiz"), 0.04),
    (Kind("\\mod_quiz\\event\\attempt_started", 2, "c", "quiz", '{"quizid":%d}', "i", "self"), 0.015),
    (Kind("\\mod_quiz\\event\\attempt_viewed", 2, "r", "quiz", '{"quizid":%d,"page":%d}', "ix", "self"), 0.05),
    (Kind("\\mod_quiz\\event\\attempt_submitted", 2, "u", "quiz", '{"submitterid":%d,"quizid":%d}', "ui",
          "self"), 0.012),
    (Kind("\\mod_quiz\\event\\attempt_reviewed", 2, "r", "quiz", '{"quizid":%d}', "i", "self"), 0.01),
    (_view("assign"), 0.03),
    (Kind("\\mod_assign\\event\\submission_status_viewed", 2, "r", "assign"), 0.04),
    (Kind("\\assignsubmission_file\\event\\submission_created", 2, "c", "assign",
          '{"submissionid":%d,"submissionattempt":0,"submissionstatus":"submitted","filesubmissioncount":%d}',
          "dx"), 0.004),
    (Kind("\\assignsubmission_file\\event\\assessable_uploaded", 2, "c", "assign",
          '{"content":"","pathnamehashes":["%d"]}', "d"), 0.006),
    (Kind("\\mod_assign\\event\\assessable_submitted", 2, "u", "assign", '{"submission_editable":false}'), 0.004),
    (_view("h5pactivity"), 0.02),
    (_view("lti"), 0.025),
    (Kind("\\gradereport_user\\event\\grade_report_viewed", 2, "r", related="self"), 0.02),
    (Kind("\\core\\event\\course_module_completion_updated", 2, "u", "resource",
          '{"relateduserid":%d,"overrideby":null,"completionstate":1}', "u", "self"), 0.03),
)  # fmt: skip

# Events from students that never count.
LOGGED_IN = Kind("\\core\\event\\user_loggedin", 0, "r", None, '{"username":"%s"}', "n", context=SYSTEM)
DASHBOARD = Kind("\\core\\event\\dashboard_viewed", 0, "r", context=USER)
LOGIN_FAILED = Kind("\\core\\event\\user_login_failed", 0, "r", None, '{"username":"%s","reason":3}', "n",
                    context=SYSTEM)  # fmt: skip
FEEDBACK = Kind("\\mod_feedback\\event\\response_submitted", 2, "c", "feedback",
                '{"cmid":%d,"instanceid":%d,"anonymous":true}', "ci")  # fmt: skip


def learning(name: str) -> Kind:
    """The learning kind whose event name ends with `name`."""
    return next(kind for kind, _ in LEARNING if kind.eventname.endswith(name))


COMPLETION = learning("\\core\\event\\course_module_completion_updated")
QUIZ_SUBMITTED = learning("\\mod_quiz\\event\\attempt_submitted")

# Staff events (their users are not in studentidmap).
STAFF: tuple[tuple[Kind, float], ...] = (
    (learning("\\core\\event\\course_viewed"), 0.35),
    (Kind("\\mod_assign\\event\\grading_table_viewed", 1, "r", "assign"), 0.15),
    (Kind("\\mod_assign\\event\\submission_graded", 1, "u", "assign", related="student"), 0.12),
    (Kind("\\core\\event\\user_graded", 1, "u", None, '{"itemid":%d,"overridden":false,"finalgrade":%d}',
          "dx", "student"), 0.08),
    (Kind("\\core\\event\\course_module_updated", 1, "u", "resource",
          '{"modulename":"resource","instanceid":%d,"name":"%s"}', "it"), 0.12),
    (Kind("\\core\\event\\course_module_created", 1, "c", "resource",
          '{"modulename":"resource","instanceid":%d,"name":"%s"}', "it"), 0.05),
    (Kind("\\gradereport_grader\\event\\grade_report_viewed", 1, "r"), 0.08),
    (learning("\\mod_forum\\event\\post_created"), 0.05),
)  # fmt: skip

# Resource titles staff give uploads: commas and quotes on purpose (JSON-escaped here).
TITLES = (
    "Week 3 reading list, part 2",
    'Lecture slides: \\"Key concepts\\", annotated',
    "Seminar prep - questions 1, 2 and 3",
    "Assessment brief (final), v2",
    'Past paper & \\"model answers\\"',
)
