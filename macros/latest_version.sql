{#- "Latest delivery wins": one row per (centre, key) of a staging model, the one loaded last;
    within one delivery the lower row of the file wins (_source_row). Retracted versions are
    kept (is_deleted); callers drop them. -#}
{% macro latest_version(relation, key_columns) %}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by centre, {{ key_columns | join(', ') }}
        order by _load_seq desc, _source_row desc
    ) = 1
{% endmacro %}
