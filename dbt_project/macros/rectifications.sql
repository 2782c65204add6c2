{% macro rectification_overrides(target, fields) -%}
    {#- One row per rectified row of `target` (governance.md, rectification): for each field whether a
        request overrides it and the latest such value (as text), plus the ids of the requests applied.
        The row key is the key columns joined by '/', as the request's DETAILS name it. -#}
    select
        row_key,
        {%- for column in fields %}
        max(case when field = '{{ column }}' then 1 else 0 end) as {{ column }}__is_set,
        max(case when field = '{{ column }}' then value end) as {{ column }}__value,
        {%- endfor %}
        {{ dbt.listagg('request_id', "';'", "order by request_id") }} as rectified_by
    from (
        select
            row_key,
            field,
            value,
            request_id,
            row_number() over (
                partition by row_key, field order by applied_at desc, request_id desc
            ) as recency
        from {{ source('meta', 'rectifications') }}
        where target = '{{ target }}'
    ) as ranked
    where recency = 1
    group by row_key
{%- endmacro %}

{% macro rectified(column, data_type, rows, overrides='overrides') -%}
    case
        when {{ overrides }}.{{ column }}__is_set = 1
            then cast({{ overrides }}.{{ column }}__value as {{ data_type }})
        else {{ rows }}.{{ column }}
    end
{%- endmacro %}
