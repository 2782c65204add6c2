{#- Small engine-specific pieces, dispatched so the models stay portable (operations.md: the
    project should also run on Spark through dbt-spark). -#}

{#- Orders text by Unicode code point whatever the session's default collation. -#}
{% macro codepoint(expression) -%}
    {{ return(adapter.dispatch('codepoint', 'leap')(expression)) }}
{%- endmacro %}

{% macro default__codepoint(expression) -%}
    {{ expression }} collate "C"
{%- endmacro %}

{% macro spark__codepoint(expression) -%}
    {{ expression }} collate utf8_binary
{%- endmacro %}


{#- Lower-case hex SHA-256 of a text. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'leap')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    {#- DuckDB-only function name (Spark, Snowflake and Databricks spell it sha2(x, 256)). -#}
    sha256({{ expression }})
{%- endmacro %}


{#- The usual median (mean of the two middle values for an even count), as an aggregate. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'leap')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
