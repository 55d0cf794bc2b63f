select
    event_key,
    centre,
    event_id,
    event_type,
    event_date,
    district,
    district_code,
    region,
    centre_region,
    in_centre_region,
    audience,
    participants,
    participants_foreign
from {{ ref('int_events') }}
