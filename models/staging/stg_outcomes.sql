-- Current, non-retracted outcomes; a retracted client's dropped, orphans flagged.
with latest as (
    {{ client_child_latest(source('raw', 'outcomes'), ['outcome_id']) }}
)

select
    latest._centre as centre,
    latest.outcome_id,
    latest._centre || ':' || latest.outcome_id as outcome_key,
    latest.client_id,
    latest.client_key,
    latest.outcome_date,
    latest.outcome,
    -- Not verified unless the export says so.
    coalesce(latest.verified, false) as verified,
    latest.is_orphan,
    {{ lineage_columns('latest') }}
from latest
