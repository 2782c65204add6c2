-- Fails when a rule parameter has no row in the rule_thresholds seed: its column in
-- int_rule_parameters would be null and every rule using it would silently misbehave.
select *
from {{ ref('int_rule_parameters') }}
where
    attendance_window_days is null
    or vle_window_days is null
    or submission_window_days is null
    or attendance_green_min is null
    or attendance_amber_min is null
    or vle_green_min is null
    or vle_amber_min is null
    or submission_green_min is null
    or submission_amber_min is null
    or summary_green_min is null
    or summary_amber_min is null
    or vle_module_score_cap is null
    or submission_late_credit is null
    or submission_missing_factor is null
    or submission_missing_min is null
