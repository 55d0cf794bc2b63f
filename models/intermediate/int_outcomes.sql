-- Current, non-retracted outcomes; a retracted client's dropped, orphans flagged.
-- counts = the client was delivered.
with latest as (
    {{ client_child_latest(ref('stg_outcomes'), ['outcome_id']) }}
)

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
    _delivery_id,
    _load_seq,
    _file_name,
    _file_sha256,
    _source_row
from latest
