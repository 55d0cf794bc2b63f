{#- Incremental intermediate models (docs/warehouse.md, "Incremental builds").

    reach build starts an incremental build from a copy of the published warehouse, so {{ this }}
    holds what the previous build resolved. Only records touched since then are resolved again:
    every version of every record that a delivery loaded since the last build named (its
    _load_seq is above the highest _load_seq of {{ this }}), and, for records naming a client,
    every record of a client whose register entry was delivered again (a correction, a
    retraction, a client arriving for orphans). reach build rebuilds everything from scratch when
    a delivery was set aside or restored, or the project changed, so between incremental builds
    the kept history only grows. -#}

{#- The highest _load_seq the previous build resolved into {{ this }}. -#}
{% macro last_build_watermark() -%}
    (select coalesce(max(_load_seq), -1) from {{ this }})
{%- endmacro %}

{#- (centre, key columns) of the records of `relation` (a staging model) to resolve again. -#}
{% macro changed_keys(relation, key_columns, names_client=false) %}
    select distinct centre, {{ key_columns | join(', ') }}
    from {{ relation }}
    where _load_seq > {{ last_build_watermark() }}
    {%- if names_client %}
        or (centre, client_id) in (
            select centre, client_id from {{ ref('int_clients_latest') }}
            where _load_seq > {{ last_build_watermark() }}
        )
    {%- endif %}
{% endmacro %}

{#- `relation` itself in a full build; in an incremental one only every version of the records
    changed_keys names, so latest_version still sees the whole history of each of them. -#}
{% macro versions_to_resolve(relation, key_columns, names_client=false) -%}
    {%- if is_incremental() -%}
        (select * from {{ relation }}
         where (centre, {{ key_columns | join(', ') }}) in ({{ changed_keys(relation, key_columns, names_client) }}))
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- The model's rows; in an incremental build followed by one marker row per record resolved
    again (_replaces_only), so the replace_keys strategy also removes a record that no longer
    counts (retracted, or its client retracted). -#}
{% macro with_replaced_keys(rows, relation, key_columns, names_client=false) %}
    select *{% if is_incremental() %}, false as _replaces_only{% endif %} from {{ rows }}
    {%- if is_incremental() %}
    union all by name
    select *, true as _replaces_only from ({{ changed_keys(relation, key_columns, names_client) }})
    {%- endif %}
{% endmacro %}

{#- Incremental strategy replace_keys: delete every record the new rows name (the marker rows
    included), insert the rows that are not markers, and count the work in
    build_state.incremental_work (what `reach build` reports and tests assert on). -#}
{% macro get_incremental_replace_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set temp = arg_dict['temp_relation'] -%}
    {%- set keys = arg_dict['unique_key'] | join(', ') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    create schema if not exists build_state;
    create table if not exists build_state.incremental_work (
        model varchar, records_resolved bigint, rows_written bigint
    );
    insert into build_state.incremental_work
    select '{{ target.identifier }}', count(*) filter (where _replaces_only),
           count(*) filter (where not _replaces_only)
    from {{ temp }};
    delete from {{ target }} where ({{ keys }}) in (select {{ keys }} from {{ temp }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ temp }} where not _replaces_only
{% endmacro %}
