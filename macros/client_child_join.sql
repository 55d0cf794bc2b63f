{#- Joins a client-referencing staging relation to the client register. Rows of a retracted
    client are dropped (the cascade); rows naming a client the centre never delivered are
    kept with is_orphan = true. `latest` is the alias of the child's latest versions. -#}
{% macro client_child_join(latest) %}
    left join {{ ref('base_clients_latest') }} as register
        on register.centre = {{ latest }}._centre
        and register.client_id = {{ latest }}.client_id
    where not coalesce({{ latest }}.deleted, false)
        and not coalesce(register.is_deleted, false)
{% endmacro %}
