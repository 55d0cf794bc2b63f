select
    contact_key,
    centre,
    contact_id,
    client_key,
    contact_date,
    service,
    topic,
    mode,
    duration_min,
    branch,
    branch_district,
    interpreted
from {{ ref('int_contacts') }}
where counts
-- Stored by centre and date, as fct_activities is: a period's rows lie together.
order by centre, contact_date
