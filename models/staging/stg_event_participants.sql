-- Current, non-retracted registrations at events; a retracted client's dropped, orphans
-- flagged, has_event = the event is current and not retracted.
with latest as (
    {{ client_child_latest(source('raw', 'event_participants'), ['event_id', 'client_id']) }}
)

select
    latest._centre as centre,
    latest.event_id,
    latest.client_id,
    latest._centre || ':' || latest.event_id || ':' || latest.client_id as participation_key,
    latest.client_key,
    latest.is_orphan,
    events.event_id is not null as has_event,
    {{ lineage_columns('latest') }}
from latest
left join {{ ref('stg_events') }} as events
    on events.centre = latest._centre
    and events.event_id = latest.event_id
