-- The Moodle courses behind each active module instance, through the week's own snapshot
-- (modulemap, domain VLE). One course may map to several instances: it appears under each.
with

active_modules as (
    select * from {{ ref('int_active_modules_weekly') }}
),

course_map as (
    select * from {{ ref('stg_sits__modulemaps') }}
    where domain = 'VLE'
),

final as (
    select distinct
        active_modules.week_start,
        active_modules.student_id,
        active_modules.module_instance_id,
        course_map.domain_identifier as moodle_course_id
    from active_modules
    inner join course_map
        on
            active_modules.sits_extract_date = course_map.extract_date
            and active_modules.module_instance_id = course_map.module_instance_id
)

select * from final
