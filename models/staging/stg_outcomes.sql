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
    _delivery_id,
    _load_seq,
    _file_name,
    _file_sha256,
    _source_row
from {{ source('raw', 'outcomes') }}
