{#- Schemas are exactly the configured names (staging, intermediate, marts, seeds), never
    prefixed with the target schema: other tools read marts.engagement_weekly by that name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
