select
    participants.participation_key,
    participants.centre,
    participants.event_id,
    participants.client_key,
    events.event_type,
    events.event_date,
    events.district as event_district,
    events.region as event_region
from {{ ref('int_event_participants') }} as participants
inner join {{ ref('int_events') }} as events
    on events.centre = participants.centre
    and events.event_id = participants.event_id
where participants.counts
