from datetime import date

import pytest

from leap_assets.privacy.requests import Request, read_requests, rectification, replace_student_ids
from tests.support.landing import write

HEADER = "REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY\n"


def request(kind: str, details: str | None = None, approved_by: str | None = "DPO", **changes) -> Request:
    fields = dict(
        line=2, request_id="R1", student_id="00000001", kind=kind, received=date(2026, 11, 2), details=details
    )
    fields.update(changes)
    return Request(approved_by=approved_by, **fields)


def test_requests_are_read_by_header_name_and_rows_without_a_request_id_are_problems(landing):
    write(
        landing / "privacy" / "requests.csv",
        "\ufeffapproved_by,Type,request_id,student_id,received_date\r\n"
        ",ACCESS,R1,00000001,2026-11-01\r\n"
        ",opt_out,,00000002,2026-11-01\r\n"
        "DPO,erasure,R1,00000003,2026-11-01\r\n",
    )
    requests, problems = read_requests(landing)
    assert [(r.request_id, r.student_id, r.kind, r.received) for r in requests] == [
        ("R1", "00000001", "access", date(2026, 11, 1))
    ]
    assert [(line, field) for line, field, _ in problems] == [(3, "REQUEST_ID"), (4, "REQUEST_ID")]
    assert "appears again" in problems[1][2]


def test_no_requests_file_means_no_requests(landing):
    assert read_requests(landing) == ([], [])


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"kind": "erasure", "approved_by": None}, "needs APPROVED_BY"),
        ({"kind": "restriction", "approved_by": None}, "needs APPROVED_BY"),
        ({"kind": "lift_restriction", "approved_by": None}, "needs APPROVED_BY"),
        ({"kind": "safeguarding_override", "approved_by": None}, "needs APPROVED_BY"),
        ({"kind": "forget_me"}, "is not one of"),
        ({"kind": "access", "received": None}, "RECEIVED_DATE"),
        ({"kind": "access", "student_id": None}, "STUDENT_ID is empty"),
        ({"kind": "rectification", "details": "EVENT_ATTENDED=1"}, "DETAILS must name a row"),
        ({"kind": "rectification", "details": "moodle:00000001/1 X=1"}, "does not start with one of"),
        ({"kind": "rectification", "details": "seats:00000002/EV1 EVENT_ATTENDED=1"}, "another student"),
        ({"kind": "rectification", "details": "seats:00000001 EVENT_ATTENDED=1"}, "row key of seats"),
        ({"kind": "rectification", "details": "seats:00000001/EV1 sits.LAST_NAME=x"}, "names source"),
    ],
)
def test_a_request_that_cannot_be_carried_out_says_why(changes, reason):
    kind = changes.pop("kind")
    approved = changes.pop("approved_by", "DPO")
    assert reason in request(kind, approved_by=approved, **changes).refusal()


@pytest.mark.parametrize("kind", ["access", "opt_out", "opt_in"])
def test_access_and_opt_requests_need_no_approval(kind):
    assert request(kind, approved_by=None).refusal() is None


@pytest.mark.parametrize(
    "details",
    [
        "seats:00000001/EV1 EVENT_ATTENDED=1",
        "seats:00000001/EV1;seats.EVENT_ATTENDED=1",
        "SEATS:00000001/EV1   event_attended=1",
    ],
)
def test_rectification_details_name_one_row_and_one_field(details):
    override = rectification(request("rectification", details))
    assert (override.target, override.table, override.row_key) == ("seats", "seats_attendance", "00000001/EV1")
    assert (override.key, override.field, override.value) == (
        {"student_id": "00000001", "event_id": "EV1"},
        "event_attended",
        "1",
    )


def test_an_assessment_rectification_keys_on_three_columns_and_an_empty_value_is_null():
    details = "sits.studentassessmentinstance:00000001/AI9/1 sits.studentassessmentinstance.ASSESS_AGREED_MARK="
    override = rectification(request("rectification", details))
    assert override.key == {"student_id": "00000001", "assess_instance_id": "AI9", "assess_seq_id": "1"}
    assert (override.field, override.value) == ("assess_agreed_mark", None)


def test_erased_ids_in_requests_csv_are_replaced_by_their_token(landing):
    path = write(
        landing / "privacy" / "requests.csv",
        HEADER + "R1,00000001,erasure,2026-11-01,,DPO\nR2,00000002,access,2026-11-01,,\n",
    )
    assert replace_student_ids(landing, {"00000001": "ERASED-ab"}.get) == 1
    assert path.read_text() == HEADER + "R1,ERASED-ab,erasure,2026-11-01,,DPO\nR2,00000002,access,2026-11-01,,\n"
    assert replace_student_ids(landing, {"00000001": "ERASED-ab"}.get) == 0
