{#- A key: fails on every combination of the given columns that is null in any part or occurs more
    than once (unique and not null together, for single and composite keys alike). -#}
{% test key(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1 or {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}

{% endtest %}
