-- Current, non-retracted contacts; those of a retracted client dropped, orphans flagged.
with latest as (
    {{ latest_version(source('raw', 'contacts'), ['contact_id']) }}
)

select
    latest._centre as centre,
    latest.contact_id,
    latest._centre || ':' || latest.contact_id as contact_key,
    latest.client_id,
    latest._centre || ':' || latest.client_id as client_key,
    latest.contact_date,
    latest.service,
    coalesce(latest.topic, 'unknown') as topic,
    coalesce(latest.mode, 'unknown') as mode,
    latest.duration_min,
    latest.branch,
    -- An empty boolean cell means "no".
    coalesce(latest.interpreted, false) as interpreted,
    register.client_id is null as is_orphan,
    latest._delivery_id,
    latest._load_seq,
    latest._file_name,
    latest._file_sha256,
    latest._source_row
from latest
{{ client_child_join('latest') }}
