-- Fails for each rule parameter with no value in the rule_thresholds seed: its column in
-- int_rule_parameters would be null and every rule using it would silently misbehave.
-- It reads the seed, not int_rule_parameters: that model is ephemeral (no Dagster asset), and a test
-- on it showed in the Dagster UI as a stray asset with no group. On the seed it is an asset check
-- of seeds/rule_thresholds, run with the staging build of every ingest.
with

required as (
    select 'attendance_window_days' as parameter
    union all select 'vle_window_days' as parameter
    union all select 'submission_window_days' as parameter
    union all select 'attendance_green_min' as parameter
    union all select 'attendance_amber_min' as parameter
    union all select 'vle_green_min' as parameter
    union all select 'vle_amber_min' as parameter
    union all select 'submission_green_min' as parameter
    union all select 'submission_amber_min' as parameter
    union all select 'summary_green_min' as parameter
    union all select 'summary_amber_min' as parameter
    union all select 'vle_module_score_cap' as parameter
    union all select 'submission_late_credit' as parameter
    union all select 'submission_missing_factor' as parameter
    union all select 'submission_missing_min' as parameter
),

seeded as (
    select parameter from {{ ref('rule_thresholds') }}
    where value is not null
),

final as (
    select required.parameter
    from required
    left join seeded on required.parameter = seeded.parameter
    where seeded.parameter is null
)

select * from final
