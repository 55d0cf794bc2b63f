-- The registered event participations that count, as activities: active on the event's date.
select
    participants.centre,
    participants.client_key,
    'event' as activity_kind,
    participants.event_id as activity_id,
    'event_' || events.event_type as service,
    events.event_date as active_from,
    events.event_date as active_to
from {{ ref('int_event_participants') }} as participants
inner join {{ ref('int_events') }} as events
    on events.centre = participants.centre
    and events.event_id = participants.event_id
where participants.counts
