{{ config(materialized='incremental', incremental_strategy='replace_keys', unique_key=['centre', 'contact_id']) }}
-- Current, non-retracted contacts; a retracted client's dropped, orphans flagged, the branch
-- placed in a district. counts = the contact counts (its client was delivered).
with latest as (
    {{ client_child_latest(versions_to_resolve(ref('stg_contacts'), ['contact_id'], names_client=true), ['contact_id']) }}
),

resolved as (
    select
        latest.centre,
        latest.contact_id,
        latest.contact_key,
        latest.client_id,
        latest.client_key,
        latest.contact_date,
        latest.service,
        latest.topic,
        latest.mode,
        latest.duration_min,
        latest.branch,
        branches.branch_district,
        latest.interpreted,
        latest.is_orphan,
        not latest.is_orphan as counts,
        {{ lineage_columns('latest') }}
    from latest
    left join {{ ref('int_branches') }} as branches
        on branches.branch = latest.branch
)

{{ with_replaced_keys('resolved', ref('stg_contacts'), ['contact_id'], names_client=true) }}
