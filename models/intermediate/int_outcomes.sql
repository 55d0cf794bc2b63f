{{ config(materialized='incremental', incremental_strategy='replace_keys', unique_key=['centre', 'outcome_id']) }}
-- Current, non-retracted outcomes; a retracted client's dropped, orphans flagged.
-- counts = the client was delivered.
with latest as (
    {{ client_child_latest(versions_to_resolve(ref('stg_outcomes'), ['outcome_id'], names_client=true), ['outcome_id']) }}
),

resolved as (
    select
        centre,
        outcome_id,
        outcome_key,
        client_id,
        client_key,
        outcome_date,
        outcome,
        verified,
        is_orphan,
        not is_orphan as counts,
        {{ lineage_columns() }}
    from latest
)

{{ with_replaced_keys('resolved', ref('stg_outcomes'), ['outcome_id'], names_client=true) }}
