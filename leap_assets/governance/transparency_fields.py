"""Plain names for the fields of the source registry, as the transparency page shows them to students and
staff: "Disability (declared)", not `DIFFLEARN1`. The system's own name follows in small type, so that a
reader can still match the page against a data protection request or the registry itself."""

PLAIN_NAMES = {
    # SITS: students, courses, enrolments
    "STUDENT_ID": "Student number",
    "FIRST_NAME": "First name",
    "LAST_NAME": "Last name",
    "PRIMARY_EMAIL_ADDRESS": "University email address",
    "SEXID": "Sex",
    "ETHNICITY": "Ethnicity",
    "DIFFLEARN1": "Disability (declared)",
    "DOB": "Date of birth",
    "OVERSEAS": "Fee status (home or overseas)",
    "COURSE_ID": "Course code",
    "TITLE": "Course name",
    "INST_TIER_1": "School",
    "INST_TIER_2": "Department",
    "X_LEVEL": "Level of study (undergraduate or postgraduate)",
    "STUDENT_COURSE_MEMBERSHIP_ID": "Enrolment number",
    "ACTIVE_MEMBERSHIP": "Currently enrolled",
    "COURSE_JOIN_DATE": "Date joined the course",
    "COURSE_END_DATE": "Date left the course",
    "WITHDRAWAL_REASON": "Reason for withdrawal",
    "COURSE_OUTCOME": "Course outcome",
    # SITS: modules and assessments
    "MOD_ID": "Module code",
    "MOD_NAME": "Module name",
    "MOD_INSTANCE_ID": "Module run (module and year)",
    "MOD_ACADEMIC_YEAR": "Academic year of the module run",
    "MOD_START_DATE": "Module start date",
    "MOD_END_DATE": "Module end date",
    "MOD_RESULT": "Module result",
    "ASSESS_INSTANCE_ID": "Assessment",
    "ASSESS_TYPE": "Type of assessment",
    "ASSESS_WEIGHT": "Weight of the assessment",
    "ASSESS_SUMMATIVE": "Counts towards the final mark",
    "ASSESS_SEQ_ID": "Attempt number",
    "ASSESS_DUE_DATE": "Due date",
    "ASSESS_SUBMISSION_DATE": "Date handed in",
    "ASSESS_ACTUAL_MARK": "Mark awarded",
    "ASSESS_AGREED_MARK": "Agreed mark",
    # SITS: staff and their links, identifiers, terms
    "STAFF_ID": "Staff number",
    "PROPERTY_NAME": "What the staff link is to",
    "PROPERTY_VALUE": "Which student, module run or school",
    "RELATIONSHIP": "Kind of link (personal tutor, module tutor, school staff)",
    "DOMAIN": "System the identifier belongs to",
    "IDENTIFIER": "Moodle user id",
    "MODULE_MAP_DOMAIN": "System the course belongs to",
    "DOMAIN_MAPPED_ID": "Moodle course id",
    "PERIOD_CODE": "Term code",
    "ACADEMIC_YEAR": "Academic year",
    "PERIOD_NAME": "Term name",
    "PERIOD_START_DATE": "Term start date",
    "PERIOD_END_DATE": "Term end date",
    # SEAtS attendance
    "EVENT_ID": "Session number",
    "EVENT_NAME": "Session name",
    "EVENT_TYPE": "Type of session",
    "EVENT_TYPE_DESCRIPTION": "Type of session (description)",
    "EVENT_MANDATORY": "Attendance required",
    "START_TIME": "Session start time",
    "END_TIME": "Session end time",
    "EVENT_ATTENDED": "Attended",
    "ATTENDANCE_LATE": "Arrived late",
    "ATTENDANCE_CATEGORY": "Attendance category (for example authorised absence)",
    # Moodle activity log
    "id": "Event number",
    "eventname": "Kind of event",
    "component": "Part of Moodle",
    "action": "Action",
    "target": "What was acted on",
    "crud": "Kind of action (view, create, update, delete)",
    "edulevel": "Learning activity or not",
    "contextid": "Where in Moodle",
    "contextlevel": "Where in Moodle (level)",
    "contextinstanceid": "Where in Moodle (item)",
    "userid": "Moodle user id",
    "courseid": "Moodle course id",
    "anonymous": "Anonymous event",
    "timecreated": "Date and time of the event",
    "origin": "How the event came about (web, app, automatic)",
    "realuserid": "Someone else logged in as the student",
    # Schools' online-only lists
    "FROM_DATE": "Online-only from",
    "TO_DATE": "Online-only until",
    "NOTE": "Note by the school",
    # Privacy requests
    "REQUEST_ID": "Request number",
    "TYPE": "Kind of request",
    "RECEIVED_DATE": "Date received",
    "DETAILS": "Details of the request",
    "APPROVED_BY": "Approved by",
}


def plain_name(field: str) -> str:
    """The page's name for a registry field; a field without one reads as words (`MOD_NAME` -> `Mod name`),
    and a name already in words (a returned workbook's `Contact date`) is kept as it is."""
    if field in PLAIN_NAMES:
        return PLAIN_NAMES[field]
    if " " in field or (field[:1].isupper() and not field.isupper()):
        return field
    words = field.replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]
