{#- A predicate that prunes an activity scan to the dates this run can use: from the start of the
    earliest window of the week before the range, to the last as_of_date of the range. The bounds
    are literals computed at compile time from the week vars and the seeded window length, so the
    engine can skip old data even through the SEAtS correction view (a join-derived bound does not
    reach through its anti-join). Pruning only: the join with int_weeks' windows decides which
    rows count, so when the seed table is not built yet (a fresh warehouse, dbt compile) the lower
    bound is left out and results are unchanged. -#}
{% macro activity_date_filter(date_column, window_parameter) -%}
    {%- set bounds = week_range() -%}
    {%- set day = modules.datetime.timedelta(days=1) -%}
    {%- set last_day = bounds['to'] + day * 6 -%}
    {%- set window_days = seeded_rule_parameter(window_parameter) -%}
    {%- if window_days is none -%}
        {{ date_column }} <= cast('{{ last_day.isoformat() }}' as date)
    {%- else -%}
        {%- set first_day = bounds['from'] - day * 7 + day * 6 - day * ((window_days | int) - 1) -%}
        {{ date_column }} between cast('{{ first_day.isoformat() }}' as date)
        and cast('{{ last_day.isoformat() }}' as date)
    {%- endif -%}
{%- endmacro %}


{#- The value of one parameter of the rule_thresholds seed as built in the warehouse, or none when
    it cannot be read (parsing, or the seed not built yet). Read from the warehouse rather than the
    CSV so that it agrees with what the models' SQL reads. -#}
{% macro seeded_rule_parameter(name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {#- The graph is empty while a unit test compiles: no pruning there. -#}
    {%- set seed = graph.get('nodes', {}).get('seed.leap.rule_thresholds') -%}
    {%- set relation = adapter.get_relation(seed.database, seed.schema, seed.alias) if seed else none -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query(
        "select max(value) from " ~ relation ~ " where parameter = '" ~ name ~ "'"
    ) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}
