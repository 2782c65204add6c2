{#- Incremental strategy `replace_weeks`: replaces exactly the rows of the run's report weeks.
    Deletes by the vars' week range (not by the new rows' keys), so a week whose population is now
    empty ends with no rows; runs inside the materialisation's transaction, so a run killed
    half-way leaves the previous rows in place. -#}
{% macro get_incremental_replace_weeks_sql(arg_dict) -%}
    {%- set bounds = week_range() -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where week_start between cast('{{ bounds['from'].isoformat() }}' as date)
        and cast('{{ bounds['to'].isoformat() }}' as date);

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{#- Pre-hook of the weekly mart: a week with no complete SITS extract is not built (sources.md),
    so the run fails with a message saying so before anything is replaced. Renders no SQL. -#}
{% macro assert_complete_extract_exists() -%}
    {%- if execute -%}
        {%- set bounds = week_range() -%}
        {%- set result = run_query(
            "select count(*) from " ~ ref('stg_sits__extracts') ~ " where is_complete"
        ) -%}
        {%- if result.columns[0].values()[0] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "No complete SITS extract has been loaded, so the report weeks "
                ~ bounds['from'] ~ " to " ~ bounds['to'] ~ " cannot be built: land a SITS extract "
                ~ "folder with student, course, studentcoursemembership, module, moduleinstance "
                ~ "and studentmoduleinstance files"
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
