"""The raw, quarantine and meta layers of the warehouse: one place that says what each table holds.

Raw tables hold rows as landed, typed, with `_source_file` (path relative to the landing zone) and
`_source_line` (physical line, header = 1). Column names are the source's own, lower-cased.
Identifiers are always VARCHAR. dbt staging models read these tables as sources.
"""

LINEAGE = [("_source_file", "VARCHAR NOT NULL"), ("_source_line", "INTEGER NOT NULL")]

SITS_TABLES: dict[str, list[tuple[str, str]]] = {
    "student": [
        ("student_id", "VARCHAR"),
        ("first_name", "VARCHAR"),
        ("last_name", "VARCHAR"),
        ("primary_email_address", "VARCHAR"),
        ("sexid", "VARCHAR"),
        ("ethnicity", "VARCHAR"),
        ("difflearn1", "VARCHAR"),
        ("dob", "DATE"),
        ("overseas", "VARCHAR"),
    ],
    "course": [
        ("course_id", "VARCHAR"),
        ("title", "VARCHAR"),
        ("inst_tier_1", "VARCHAR"),
        ("inst_tier_2", "VARCHAR"),
        ("x_level", "VARCHAR"),
    ],
    "studentcoursemembership": [
        ("student_course_membership_id", "VARCHAR"),
        ("student_id", "VARCHAR"),
        ("course_id", "VARCHAR"),
        ("active_membership", "INTEGER"),
        ("course_join_date", "DATE"),
        ("course_end_date", "DATE"),
        ("withdrawal_reason", "VARCHAR"),
        ("course_outcome", "VARCHAR"),
    ],
    "module": [("mod_id", "VARCHAR"), ("mod_name", "VARCHAR")],
    "moduleinstance": [
        ("mod_instance_id", "VARCHAR"),
        ("mod_id", "VARCHAR"),
        ("mod_academic_year", "VARCHAR"),
    ],
    "studentmoduleinstance": [
        ("student_id", "VARCHAR"),
        ("mod_instance_id", "VARCHAR"),
        ("mod_start_date", "DATE"),
        ("mod_end_date", "DATE"),
        ("mod_result", "VARCHAR"),
    ],
    "assessmentinstance": [
        ("assess_instance_id", "VARCHAR"),
        ("mod_instance_id", "VARCHAR"),
        ("assess_type", "VARCHAR"),
        ("assess_weight", "DOUBLE"),
        ("assess_summative", "VARCHAR"),
    ],
    "studentassessmentinstance": [
        ("student_id", "VARCHAR"),
        ("assess_instance_id", "VARCHAR"),
        ("assess_seq_id", "VARCHAR"),
        ("assess_due_date", "DATE"),
        # The London date of ASSESS_SUBMISSION_DATE (a date, or a timestamp converted to LEAP_TIMEZONE).
        ("assess_submission_date", "DATE"),
        ("assess_actual_mark", "DOUBLE"),
        ("assess_agreed_mark", "DOUBLE"),
    ],
    "staff": [
        ("staff_id", "VARCHAR"),
        ("first_name", "VARCHAR"),
        ("last_name", "VARCHAR"),
        ("primary_email_address", "VARCHAR"),
    ],
    "stafflink": [
        ("staff_id", "VARCHAR"),
        ("property_name", "VARCHAR"),
        ("property_value", "VARCHAR"),
        ("relationship", "VARCHAR"),
    ],
    "studentidmap": [("student_id", "VARCHAR"), ("domain", "VARCHAR"), ("identifier", "VARCHAR")],
    "modulemap": [
        ("mod_instance_id", "VARCHAR"),
        ("module_map_domain", "VARCHAR"),
        ("domain_mapped_id", "VARCHAR"),
    ],
    "period": [
        ("period_code", "VARCHAR"),
        ("academic_year", "VARCHAR"),
        ("period_name", "VARCHAR"),
        ("period_start_date", "DATE"),
        ("period_end_date", "DATE"),
    ],
}

# Files that make an extract complete (sources.md); the rest are optional.
SITS_REQUIRED_FILES = (
    "student",
    "course",
    "studentcoursemembership",
    "module",
    "moduleinstance",
    "studentmoduleinstance",
)

RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    **{f"sits_{name}": [("extract_date", "DATE NOT NULL"), *cols, *LINEAGE] for name, cols in SITS_TABLES.items()},
    # One row per SITS extract folder: whether it may be used for any week.
    "sits_extracts": [
        ("extract_date", "DATE NOT NULL"),
        ("is_complete", "BOOLEAN NOT NULL"),
        ("missing_files", "VARCHAR"),
        ("rejected_files", "VARCHAR"),
        ("loaded_at", "TIMESTAMPTZ NOT NULL"),
    ],
    # Every landed SEAtS row; corrections are resolved in staging (latest file date, then line).
    "seats_attendance": [
        ("file_date", "DATE NOT NULL"),
        ("student_id", "VARCHAR"),
        ("event_id", "VARCHAR"),
        ("event_name", "VARCHAR"),
        ("event_type", "VARCHAR"),
        ("event_type_description", "VARCHAR"),
        ("event_mandatory", "INTEGER"),
        ("start_time", "TIMESTAMPTZ"),
        ("start_date", "DATE"),  # the local (LEAP_TIMEZONE) date of start_time
        ("end_time", "TIMESTAMPTZ"),
        ("event_attended", "INTEGER"),
        ("attendance_late", "INTEGER"),
        ("attendance_category", "VARCHAR"),  # as landed; empty is null (derived in staging)
        ("mod_instance_id", "VARCHAR"),
        ("staff_id", "VARCHAR"),
        *LINEAGE,
    ],
    # Learning activity only: rows that do not qualify are counted per file, never kept.
    # `ip`, `other`, `relateduserid` and `realuserid` are never loaded (data minimisation).
    "moodle_log": [
        ("id", "BIGINT NOT NULL"),
        ("eventname", "VARCHAR"),
        ("component", "VARCHAR"),
        ("action", "VARCHAR"),
        ("target", "VARCHAR"),
        ("crud", "VARCHAR"),
        ("edulevel", "INTEGER"),
        ("contextid", "BIGINT"),
        ("contextlevel", "INTEGER"),
        ("contextinstanceid", "BIGINT"),
        ("userid", "VARCHAR"),
        ("courseid", "VARCHAR"),
        ("anonymous", "INTEGER"),
        ("timecreated", "BIGINT"),
        ("event_date", "DATE"),  # the local (LEAP_TIMEZONE) date of timecreated
        ("origin", "VARCHAR"),
        ("file_date", "DATE NOT NULL"),
        *LINEAGE,
    ],
    "schools_online_only": [
        ("list_name", "VARCHAR NOT NULL"),  # the file name: each path is one list
        ("student_id", "VARCHAR"),
        ("from_date", "DATE"),
        ("to_date", "DATE"),
        ("note", "VARCHAR"),
        *LINEAGE,
    ],
}

META_TABLES: dict[str, list[tuple[str, str]]] = {
    # Current privacy state per student, maintained by the privacy-request processor (governance.md).
    # Analytics left-join it: a student with no row is neither restricted nor opted out.
    "privacy_state": [
        ("student_id", "VARCHAR PRIMARY KEY"),
        ("is_restricted", "BOOLEAN NOT NULL"),
        ("is_opted_out", "BOOLEAN NOT NULL"),
        ("has_safeguarding_override", "BOOLEAN NOT NULL"),
        ("updated_at", "TIMESTAMPTZ NOT NULL"),
    ],
    # One row per landed path: the newest bytes seen there and what loading them did.
    "landed_files": [
        ("path", "VARCHAR PRIMARY KEY"),
        ("source", "VARCHAR NOT NULL"),
        ("sha256", "VARCHAR NOT NULL"),
        ("status", "VARCHAR NOT NULL"),  # loaded | rejected
        ("message", "VARCHAR"),
        ("rows_loaded", "BIGINT NOT NULL"),
        ("rows_quarantined", "BIGINT NOT NULL"),
        ("rows_filtered", "BIGINT NOT NULL"),  # not learning activity (Moodle), counted not kept
        ("rows_duplicate", "BIGINT NOT NULL"),  # Moodle ids already loaded from an earlier file
        ("extra_columns", "VARCHAR"),
        ("newest_data_date", "DATE"),
        ("landed_at", "TIMESTAMPTZ NOT NULL"),
        # Size and mtime when hashed (null when too recent to vouch for): lets `pending` skip re-hashing.
        ("size_bytes", "BIGINT"),
        ("mtime_ns", "BIGINT"),
    ],
    # One row per view or export of student-level data (governance.md): who, in which role, what, which
    # students, when. Never any engagement figure.
    "access_log": [
        ("accessed_at", "TIMESTAMPTZ NOT NULL"),
        ("staff_id", "VARCHAR NOT NULL"),
        ("role", "VARCHAR NOT NULL"),  # roles that granted the access, e.g. "tutor" or "school,tutor"; "none"
        ("action", "VARCHAR NOT NULL"),  # view | view_refused
        ("week_start", "DATE"),
        ("student_ids", "VARCHAR[] NOT NULL"),
        ("student_count", "INTEGER NOT NULL"),
        ("output", "VARCHAR"),  # the file written, relative to LEAP_PUBLISH
        ("requested_by", "VARCHAR"),  # the operating-system user who ran the command
    ],
    # The privacy-request ledger (governance.md): one row per REQUEST_ID, processed once. For an
    # erasure, `subject` is the random token that replaced the student id, and `outcome` the certificate.
    "privacy_requests": [
        ("request_id", "VARCHAR PRIMARY KEY"),
        ("request_type", "VARCHAR NOT NULL"),
        ("subject", "VARCHAR NOT NULL"),  # the student id, or the erasure token
        ("received_date", "DATE"),
        ("approved_by", "VARCHAR"),
        ("status", "VARCHAR NOT NULL"),  # done | refused
        ("reason", "VARCHAR"),  # why refused, or a one-line summary of what was done
        ("outcome", "VARCHAR"),  # JSON: export paths, certificate (tables, files, row counts), override
        ("processed_at", "TIMESTAMPTZ NOT NULL"),
    ],
    # Erased students: keyed hashes (HMAC-SHA256 with the installation's secret) of their ids, never the ids.
    "suppression_list": [
        ("id_hmac", "VARCHAR PRIMARY KEY"),
        ("request_id", "VARCHAR NOT NULL"),
        ("added_at", "TIMESTAMPTZ NOT NULL"),
    ],
    # Rectification overrides, applied by staging on top of the landed rows in every later run.
    "rectifications": [
        ("request_id", "VARCHAR PRIMARY KEY"),
        ("student_id", "VARCHAR NOT NULL"),
        ("target", "VARCHAR NOT NULL"),  # seats | sits.student | sits.studentassessmentinstance
        ("row_key", "VARCHAR NOT NULL"),  # e.g. 00917342/EV123 (the DETAILS key after the colon)
        ("field", "VARCHAR NOT NULL"),  # lower-case column name
        ("value", "VARCHAR"),
        ("applied_at", "TIMESTAMPTZ NOT NULL"),
    ],
    # What each retention purge removed (governance.md, Retention): one row per table or landing folder.
    "purges": [
        ("purged_at", "TIMESTAMPTZ NOT NULL"),
        ("layer", "VARCHAR NOT NULL"),  # landing | raw | quarantine | marts | publish | contacts | access_log
        ("target", "VARCHAR NOT NULL"),  # table name or folder
        ("cutoff", "DATE NOT NULL"),  # rows describing days before this were removed
        ("rows_removed", "BIGINT NOT NULL"),
        ("files_removed", "BIGINT NOT NULL"),
    ],
}

QUARANTINE_TABLES: dict[str, list[tuple[str, str]]] = {
    # A contract-breaking row (field null) or unparsable optional value (field set, row still loaded).
    "rows": [
        ("source", "VARCHAR NOT NULL"),
        ("_source_file", "VARCHAR NOT NULL"),
        ("_source_line", "INTEGER NOT NULL"),
        ("field", "VARCHAR"),
        ("reason", "VARCHAR NOT NULL"),
        ("row_loaded", "BOOLEAN NOT NULL"),
        ("student_id", "VARCHAR"),
        ("record", "VARCHAR"),
        ("quarantined_at", "TIMESTAMPTZ NOT NULL"),
    ],
}

# Marts written by Python rather than dbt (the dbt marts live in the same schema).
MARTS_TABLES: dict[str, list[tuple[str, str]]] = {
    # What staff recorded in returned report workbooks: one row per (week_start, student_id), the
    # latest return winning (outputs.md, the contact loop).
    "contacts": [
        ("week_start", "DATE NOT NULL"),
        ("student_id", "VARCHAR NOT NULL"),
        ("contacted", "BOOLEAN"),
        ("contact_date", "DATE"),
        ("contact_method", "VARCHAR"),
        ("outcome", "VARCHAR"),
        ("follow_up_needed", "BOOLEAN"),
        ("notes", "VARCHAR"),
        ("_source_file", "VARCHAR NOT NULL"),
    ],
}

LAYERS = {"raw": RAW_TABLES, "meta": META_TABLES, "quarantine": QUARANTINE_TABLES, "marts": MARTS_TABLES}


def ddl() -> list[str]:
    """CREATE statements for every layer; idempotent."""
    statements = []
    for schema, tables in LAYERS.items():
        statements.append(f"create schema if not exists {schema}")
        for table, columns in tables.items():
            cols = ",\n    ".join(f"{name} {kind}" for name, kind in columns)
            statements.append(f"create table if not exists {schema}.{table} (\n    {cols}\n)")
    return statements
