-- Current, non-retracted outcomes; a retracted client's dropped, orphans flagged.
with latest as (
    {{ latest_version(source('raw', 'outcomes'), ['outcome_id']) }}
)

select
    latest._centre as centre,
    latest.outcome_id,
    latest._centre || ':' || latest.outcome_id as outcome_key,
    latest.client_id,
    latest._centre || ':' || latest.client_id as client_key,
    latest.outcome_date,
    latest.outcome,
    -- Not verified unless the export says so.
    coalesce(latest.verified, false) as verified,
    register.client_id is null as is_orphan,
    latest._delivery_id,
    latest._load_seq,
    latest._file_name,
    latest._file_sha256,
    latest._source_row
from latest
{{ client_child_join('latest') }}
