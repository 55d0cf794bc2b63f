-- Current, non-retracted registrations at events; a retracted client's dropped, orphans
-- flagged. counts = the client was delivered and the event is current.
with latest as (
    {{ client_child_latest(ref('stg_event_participants'), ['event_id', 'client_id']) }}
)

select
    latest.centre,
    latest.event_id,
    latest.client_id,
    latest.participation_key,
    latest.client_key,
    latest.is_orphan,
    events.event_id is not null as has_event,
    not latest.is_orphan and events.event_id is not null as counts,
    {{ lineage_columns('latest') }}
from latest
left join {{ ref('int_events') }} as events
    on events.centre = latest.centre
    and events.event_id = latest.event_id
