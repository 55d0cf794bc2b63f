-- Every delivered version of every integration outcome (raw.outcomes), renamed; not verified
-- unless the export says so.
select
    _centre as centre,
    outcome_id,
    _centre || ':' || outcome_id as outcome_key,
    client_id,
    _centre || ':' || client_id as client_key,
    outcome_date,
    outcome,
    coalesce(verified, false) as verified,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'outcomes') }}
