{#- The reason codes that apply, as one string: the codes sorted in code-point order (sorted here,
    at compile time, so no engine collation can reorder them) and joined with ';'; an empty string
    when none applies. `conditions` maps each code to a SQL boolean expression. -#}
{% macro reason_codes(conditions) -%}
    {%- set fragments = [] -%}
    {%- for code in conditions.keys() | list | sort(case_sensitive=true) -%}
        {%- do fragments.append(
            "case when " ~ conditions[code] ~ " then ';" ~ code ~ "' else '' end"
        ) -%}
    {%- endfor -%}
    substring({{ dbt.concat(fragments) }}, 2)
{%- endmacro %}
