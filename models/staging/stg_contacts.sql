-- Current, non-retracted contacts; those of a retracted client dropped, orphans flagged.
with latest as (
    {{ client_child_latest(source('raw', 'contacts'), ['contact_id']) }}
)

select
    latest._centre as centre,
    latest.contact_id,
    latest._centre || ':' || latest.contact_id as contact_key,
    latest.client_id,
    latest.client_key,
    latest.contact_date,
    latest.service,
    coalesce(latest.topic, 'unknown') as topic,
    coalesce(latest.mode, 'unknown') as mode,
    latest.duration_min,
    latest.branch,
    -- An empty boolean cell means "no".
    coalesce(latest.interpreted, false) as interpreted,
    latest.is_orphan,
    {{ lineage_columns('latest') }}
from latest
