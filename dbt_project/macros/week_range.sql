{#- The report weeks of this run (ISO dates of Mondays, inclusive). Returns {'from': date, 'to': date}.
    They come from the vars week_start_from and week_start_to when given (one Dagster partition passes
    both equal to its week_start), else from the one row of meta.build_window, which LEAP's weekly
    asset writes before it runs dbt and deletes after. A table rather than vars so that a new range
    does not make dbt re-parse the whole project (vars are part of the parse; a table read at run time
    is not). Without either, a command that reads or writes data (run, build, test, show...) fails
    with a message saying what to pass; commands that only render SQL (parse, compile, docs generate,
    ls, and sqlfluff's dbt templater, which compiles) get the placeholder week 1970-01-05 so that they
    work without them. -#}
{% macro week_range() -%}
    {%- set raw_from = var('week_start_from', none) -%}
    {%- set raw_to = var('week_start_to', none) -%}
    {%- if (raw_from is none or raw_to is none) and execute -%}
        {%- set stored = build_window() -%}
        {%- if stored is not none -%}
            {%- set raw_from, raw_to = stored -%}
        {%- endif -%}
    {%- endif -%}
    {%- if raw_from is none or raw_to is none -%}
        {%- if execute and flags.WHICH not in ('parse', 'compile', 'generate', 'list') -%}
            {{ exceptions.raise_compiler_error(
                "LEAP needs the dbt vars week_start_from and week_start_to (ISO dates of Mondays, "
                ~ "inclusive), e.g. --vars '{week_start_from: 2026-10-05, week_start_to: 2026-10-05}', "
                ~ "or the one row of meta.build_window that LEAP's runs write"
            ) }}
        {%- endif -%}
        {%- set placeholder = modules.datetime.date(1970, 1, 5) -%}
        {{ return({'from': placeholder, 'to': placeholder}) }}
    {%- endif -%}
    {%- set bounds = {} -%}
    {%- for name, raw in [('from', raw_from), ('to', raw_to)] -%}
        {%- set text = raw | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
            {{ exceptions.raise_compiler_error(
                "dbt var week_start_" ~ name ~ " must be an ISO date (YYYY-MM-DD), got '" ~ text ~ "'"
            ) }}
        {%- endif -%}
        {%- set day = modules.datetime.datetime.strptime(text, '%Y-%m-%d').date() -%}
        {%- if day.weekday() != 0 -%}
            {{ exceptions.raise_compiler_error(
                "dbt var week_start_" ~ name ~ " must be a Monday (a report week's start), got "
                ~ text ~ ", a " ~ day.strftime('%A')
            ) }}
        {%- endif -%}
        {%- do bounds.update({name: day}) -%}
    {%- endfor -%}
    {%- if bounds['from'] > bounds['to'] -%}
        {{ exceptions.raise_compiler_error(
            "dbt var week_start_from (" ~ bounds['from'] ~ ") is after week_start_to (" ~ bounds['to'] ~ ")"
        ) }}
    {%- endif -%}
    {{ return(bounds) }}
{%- endmacro %}


{#- The (from, to) row of meta.build_window, or none when the table or its row is absent. Read at run
    time only (execute), never while parsing. -#}
{% macro build_window() -%}
    {%- set relation = adapter.get_relation(target.database, 'meta', 'build_window') -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query(
        "select cast(week_start_from as varchar), cast(week_start_to as varchar) from " ~ relation
    ) -%}
    {%- if result.rows | length != 1 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return((result.rows[0][0], result.rows[0][1])) }}
{%- endmacro %}


{#- One row per week to compute: every report week of the range, plus the week before the range
    (is_reported false), whose combined_rag gives the first week its trend. Generated at compile
    time from the vars, so it needs no engine-specific series function. -#}
{% macro week_spine() -%}
    {%- set bounds = week_range() -%}
    {%- set day = modules.datetime.timedelta(days=1) -%}
    {%- set first = bounds['from'] - day * 7 -%}
    {%- set n_weeks = ((bounds['to'] - first).days // 7) + 1 -%}
    {%- for i in range(n_weeks) -%}
        {%- set week_start = first + day * (7 * i) %}
    select
        cast('{{ week_start.isoformat() }}' as date) as week_start,
        {{ 'true' if week_start >= bounds['from'] else 'false' }} as is_reported
        {%- if not loop.last %}
    union all
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
