{#- A traffic-light status: green at or above green_min, amber at or above amber_min, red below,
    none when the score is null. The minimums are columns of int_rule_parameters. -#}
{% macro rag(score, green_min, amber_min) -%}
    case
        when {{ score }} is null then 'none'
        when {{ score }} >= {{ green_min }} then 'green'
        when {{ score }} >= {{ amber_min }} then 'amber'
        else 'red'
    end
{%- endmacro %}


{#- Orders RAG values for the trend: red < amber < green; none has no rank. -#}
{% macro rag_rank(rag_column) -%}
    case {{ rag_column }} when 'red' then 1 when 'amber' then 2 when 'green' then 3 end
{%- endmacro %}
