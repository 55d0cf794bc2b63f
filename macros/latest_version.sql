{#- "Latest delivery wins": one row per (centre, key), the one loaded last; within one
    delivery the lower row of the file wins (_source_row). -#}
{% macro latest_version(relation, key_columns) %}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by _centre, {{ key_columns | join(', ') }}
        order by _load_seq desc, _source_row desc
    ) = 1
{% endmacro %}
