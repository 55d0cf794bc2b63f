-- Current, non-retracted registrations at events; a retracted client's dropped, orphans
-- flagged, has_event = the event is current and not retracted.
with latest as (
    {{ latest_version(source('raw', 'event_participants'), ['event_id', 'client_id']) }}
)

select
    latest._centre as centre,
    latest.event_id,
    latest.client_id,
    latest._centre || ':' || latest.event_id || ':' || latest.client_id as participation_key,
    latest._centre || ':' || latest.client_id as client_key,
    register.client_id is null as is_orphan,
    events.event_id is not null as has_event,
    latest._delivery_id,
    latest._load_seq,
    latest._file_name,
    latest._file_sha256,
    latest._source_row
from latest
left join {{ ref('stg_events') }} as events
    on events.centre = latest._centre
    and events.event_id = latest.event_id
{{ client_child_join('latest') }}
