{#- A traffic-light status: green at or above green_min, amber at or above amber_min, red below,
    none when the score is null. The minimums are columns of int_rule_parameters.
    engagement-rules.md: decided on the score rounded to 6 decimal places, half away from zero, so a
    score on a threshold gets its colour whatever the order or precision of the arithmetic before it.
    The score goes through a decimal first: a double such as 74.9999995 is stored just below the
    half and would round down. -#}
{% macro rag(score, green_min, amber_min) -%}
    case
        when {{ score }} is null then 'none'
        when {{ rag_score(score) }} >= {{ green_min }} then 'green'
        when {{ rag_score(score) }} >= {{ amber_min }} then 'amber'
        else 'red'
    end
{%- endmacro %}


{#- The score a RAG is decided on: rounded to 6 places, half away from zero (decimal rounding). -#}
{% macro rag_score(score) -%}
    round(cast({{ score }} as decimal(38, 9)), 6)
{%- endmacro %}


{#- Orders RAG values for the trend: red < amber < green; none has no rank. -#}
{% macro rag_rank(rag_column) -%}
    case {{ rag_column }} when 'red' then 1 when 'amber' then 2 when 'green' then 3 end
{%- endmacro %}
