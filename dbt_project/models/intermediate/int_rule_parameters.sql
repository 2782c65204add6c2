-- The seeded rule configuration as one row, with its rule_version: the first 12 hex digits of
-- the SHA-256 of "parameter=value" pairs in code-point order joined by ';'.
with

thresholds as (
    select * from {{ ref('rule_thresholds') }}
),

canonical as (
    select
        {{ dbt.listagg(
            dbt.concat(['parameter', "'='", dbt.cast('value', api.Column.translate_type('string'))]),
            "';'",
            'order by ' ~ codepoint('parameter'),
        ) }} as canonical_text
    from thresholds
),

pivoted as (
    select
        max(case when parameter = 'attendance_window_days' then value end) as attendance_window_days,
        max(case when parameter = 'vle_window_days' then value end) as vle_window_days,
        max(case when parameter = 'submission_window_days' then value end) as submission_window_days,
        max(case when parameter = 'attendance_green_min' then value end) as attendance_green_min,
        max(case when parameter = 'attendance_amber_min' then value end) as attendance_amber_min,
        max(case when parameter = 'vle_green_min' then value end) as vle_green_min,
        max(case when parameter = 'vle_amber_min' then value end) as vle_amber_min,
        max(case when parameter = 'submission_green_min' then value end) as submission_green_min,
        max(case when parameter = 'submission_amber_min' then value end) as submission_amber_min,
        max(case when parameter = 'summary_green_min' then value end) as summary_green_min,
        max(case when parameter = 'summary_amber_min' then value end) as summary_amber_min,
        max(case when parameter = 'vle_module_score_cap' then value end) as vle_module_score_cap,
        max(case when parameter = 'submission_late_credit' then value end) as submission_late_credit,
        max(case when parameter = 'submission_missing_factor' then value end) as submission_missing_factor,
        max(case when parameter = 'submission_missing_min' then value end) as submission_missing_min
    from thresholds
),

final as (
    select
        pivoted.*,
        substring({{ sha256_hex('canonical.canonical_text') }}, 1, 12) as rule_version
    from pivoted
    cross join canonical
)

select * from final
