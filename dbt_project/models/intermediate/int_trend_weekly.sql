-- The trend of each reported week: the student's combined_rag in the week before, computed by the
-- same rules with that week's own snapshot (int_weeks always includes it), and how it changed.
-- none is the same as none and new against anything else; otherwise red < amber < green.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

scores as (
    select * from {{ ref('int_scores_weekly') }}
),

current_week as (
    select scores.*
    from scores
    inner join weeks
        on scores.week_start = weeks.week_start
    where weeks.is_reported
),

compared as (
    select
        current_week.week_start,
        current_week.student_id,
        current_week.combined_rag,
        previous_week.combined_rag as previous_combined_rag
    from current_week
    left join scores as previous_week
        on
            previous_week.week_start = cast({{ dbt.dateadd('day', -7, 'current_week.week_start') }} as date)
            and current_week.student_id = previous_week.student_id
),

final as (
    select
        week_start,
        student_id,
        previous_combined_rag,
        case
            when previous_combined_rag is null then 'new'
            when previous_combined_rag = 'none' and combined_rag = 'none' then 'same'
            when previous_combined_rag = 'none' or combined_rag = 'none' then 'new'
            when {{ rag_rank('combined_rag') }} > {{ rag_rank('previous_combined_rag') }} then 'better'
            when {{ rag_rank('combined_rag') }} < {{ rag_rank('previous_combined_rag') }} then 'worse'
            else 'same'
        end as rag_change
    from compared
)

select * from final
