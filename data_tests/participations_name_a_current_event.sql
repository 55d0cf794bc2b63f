-- Every registered participation names a current event of fct_events (a relationship on the
-- composite key centre + event_id).
select participations.*
from {{ ref('fct_event_participation') }} as participations
anti join {{ ref('fct_events') }} as events
    on events.centre = participations.centre
    and events.event_id = participations.event_id
