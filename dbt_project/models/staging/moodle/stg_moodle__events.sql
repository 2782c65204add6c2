-- Ingestion keeps only qualifying learning events and loads each Moodle id once (the first by
-- file date, then line), so no filtering or de-duplication is repeated here.
with

source as (
    select * from {{ source('moodle', 'moodle_log') }}
),

final as (
    select
        id as event_id,
        eventname as event_name,
        component,
        action,
        target,
        crud,
        edulevel as education_level,
        contextid as context_id,
        contextlevel as context_level,
        contextinstanceid as context_instance_id,
        userid as moodle_user_id,
        courseid as moodle_course_id,
        anonymous = 1 as is_anonymous,
        timecreated as time_created_epoch,
        event_date,
        origin,
        file_date,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
