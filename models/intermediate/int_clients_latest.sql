{{ config(materialized='incremental', incremental_strategy='replace_keys', unique_key=['centre', 'client_id']) }}
-- The current version of every client ever delivered, retracted ones included: the client
-- register the other intermediate models use to drop a retracted client's records and to flag
-- orphans (client_child_latest).
-- Incremental (macros/incremental.sql): only the clients delivered since the last build are resolved again.
with latest as (
    {{ latest_version(versions_to_resolve(ref('stg_clients'), ['client_id']), ['client_id']) }}
)

{{ with_replaced_keys('latest', ref('stg_clients'), ['client_id']) }}
