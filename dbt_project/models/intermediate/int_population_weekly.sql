-- Who is in each week: one row per student with a qualifying course membership in the week's
-- SITS snapshot, under the membership with the latest join date (ties: smallest course id, then
-- membership id, in code-point order). Restricted students are in no population.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

memberships as (
    select * from {{ ref('stg_sits__studentcoursememberships') }}
),

students as (
    select * from {{ ref('stg_sits__students') }}
),

courses as (
    select * from {{ ref('stg_sits__courses') }}
),

privacy as (
    select * from {{ ref('stg_meta__privacy_states') }}
),

online_only as (
    select * from {{ ref('int_online_only_weekly') }}
),

qualifying as (
    -- The rule is literal: an end date, when present, decides regardless of active_membership.
    select
        weeks.week_start,
        memberships.extract_date,
        memberships.student_id,
        memberships.membership_id,
        memberships.course_id,
        memberships.course_join_date,
        memberships.source_line
    from weeks
    inner join memberships
        on weeks.sits_extract_date = memberships.extract_date
    left join privacy
        on memberships.student_id = privacy.student_id
    where
        memberships.course_join_date <= weeks.as_of_date
        and (
            memberships.course_end_date >= weeks.week_start
            or (memberships.course_end_date is null and memberships.is_active_membership)
        )
        and not coalesce(privacy.is_restricted, false)
),

ranked as (
    select
        *,
        row_number() over (
            partition by week_start, student_id
            order by
                course_join_date desc,
                {{ codepoint('course_id') }},
                {{ codepoint('membership_id') }},
                -- Only for a duplicated membership id: the file's own order keeps runs reproducible.
                source_line
        ) as membership_rank
    from qualifying
),

final as (
    select
        ranked.week_start,
        ranked.student_id,
        ranked.membership_id,
        students.first_name,
        students.last_name,
        ranked.course_id,
        courses.course_title,
        courses.school,
        courses.department,
        courses.level,
        online_only.student_id is not null as is_online_only,
        coalesce(privacy.is_opted_out, false) as is_opted_out
    from ranked
    inner join students
        on ranked.extract_date = students.extract_date and ranked.student_id = students.student_id
    inner join courses
        on ranked.extract_date = courses.extract_date and ranked.course_id = courses.course_id
    left join online_only
        on ranked.week_start = online_only.week_start and ranked.student_id = online_only.student_id
    left join privacy
        on ranked.student_id = privacy.student_id
    where ranked.membership_rank = 1
)

select * from final
