-- One row per activity (metrics.md, "What counts"): a contact, a course enrolment or a
-- registered event participation of a delivered, non-retracted client.
select
    centre,
    client_key,
    'contact' as activity_kind,
    contact_id as activity_id,
    service,
    contact_date as active_from,
    contact_date as active_to
from {{ ref('fct_contacts') }}

union all

select
    centre,
    client_key,
    'course' as activity_kind,
    course_id as activity_id,
    course_type as service,
    starts_on as active_from,
    course_active_to as active_to
from {{ ref('fct_course_enrolments') }}

union all

select
    centre,
    client_key,
    'event' as activity_kind,
    event_id as activity_id,
    'event_' || event_type as service,
    event_date as active_from,
    event_date as active_to
from {{ ref('fct_event_participation') }}
