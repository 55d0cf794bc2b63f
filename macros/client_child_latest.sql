{#- The current rows of a staging model whose rows name a client (contacts, enrolments, event
    participants, outcomes): "latest delivery wins" per (centre, key_columns) as latest_version
    resolves it, retracted rows dropped, every row of a retracted client dropped (the cascade),
    and rows naming a client the centre never delivered kept with is_orphan = true. Adds
    is_orphan to the staging model's own columns. -#}
{% macro client_child_latest(relation, key_columns) %}
    select
        latest.*,
        register.client_id is null as is_orphan
    from ({{ latest_version(relation, key_columns) }}) as latest
    left join {{ ref('int_clients_latest') }} as register
        on register.centre = latest.centre
        and register.client_id = latest.client_id
    where not latest.is_deleted
        and not coalesce(register.is_deleted, false)
{% endmacro %}
