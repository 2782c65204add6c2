-- One row per (student_id, event_id): the latest landed row (by file date, then line) replaces
-- every earlier row of its key whole; this is how SEAtS corrections arrive (sources.md).
-- Written as an anti-join rather than row_number() so that a date filter downstream reaches the
-- scan of the current rows: a weekly run reads its own window, and only key columns elsewhere.
with

current_rows as (
    -- The source is read twice here rather than through one import CTE: DuckDB materialises a CTE
    -- that is read twice, and the downstream date filter would no longer reach the scan.
    select landed.*
    from {{ source('seats', 'seats_attendance') }} as landed
    where not exists (
        select 1
        from {{ source('seats', 'seats_attendance') }} as later
        where
            later.student_id = landed.student_id
            and later.event_id = landed.event_id
            and (
                later.file_date > landed.file_date
                or (later.file_date = landed.file_date and later._source_line > landed._source_line)
                or (
                    later.file_date = landed.file_date
                    and later._source_line = landed._source_line
                    and later._source_file > landed._source_file
                )
            )
    )
),

-- Rectification requests (governance.md) override fields of a row in every run; the landed rows stay.
overrides as (
    {{ rectification_overrides('seats', [
        'event_name', 'event_type', 'event_type_description', 'mod_instance_id', 'staff_id',
        'event_mandatory', 'event_attended', 'attendance_late', 'attendance_category'
    ]) }}
),

rectified as (
    select
        current_rows.student_id,
        current_rows.event_id,
        {{ rectified('event_name', 'varchar', 'current_rows') }} as event_name,
        {{ rectified('event_type', 'varchar', 'current_rows') }} as event_type,
        {{ rectified('event_type_description', 'varchar', 'current_rows') }} as event_type_description,
        {{ rectified('mod_instance_id', 'varchar', 'current_rows') }} as mod_instance_id,
        {{ rectified('staff_id', 'varchar', 'current_rows') }} as staff_id,
        current_rows.start_time,
        current_rows.start_date,
        current_rows.end_time,
        {{ rectified('event_mandatory', 'integer', 'current_rows') }} as event_mandatory,
        {{ rectified('event_attended', 'integer', 'current_rows') }} as event_attended,
        {{ rectified('attendance_late', 'integer', 'current_rows') }} as attendance_late,
        {{ rectified('attendance_category', 'varchar', 'current_rows') }} as attendance_category,
        overrides.rectified_by,
        current_rows.file_date,
        current_rows._source_file,
        current_rows._source_line
    from current_rows
    left join overrides
        on overrides.row_key = {{ dbt.concat(["current_rows.student_id", "'/'", "current_rows.event_id"]) }}
),

final as (
    select
        student_id,
        event_id,
        event_name,
        event_type,
        event_type_description,
        mod_instance_id as module_instance_id,
        staff_id,
        start_time,
        start_date,
        end_time,
        event_mandatory = 1 as is_mandatory,
        event_attended = 1 as is_attended,
        coalesce(attendance_late = 1, false) as is_late,
        -- An empty category is derived; a landed one is kept even if it contradicts EVENT_ATTENDED.
        coalesce(
            attendance_category,
            case
                when event_attended = 1 and attendance_late = 1 then 'L'
                when event_attended = 1 then 'P'
                else 'A'
            end
        ) as attendance_category,
        attendance_category is null as is_category_derived,
        rectified_by,
        file_date,
        _source_file as source_file,
        _source_line as source_line
    from rectified
)

select * from final
