-- The contacts that count, as activities (metrics.md, "What counts"): active on their date.
select
    centre,
    client_key,
    'contact' as activity_kind,
    contact_id as activity_id,
    service,
    contact_date as active_from,
    contact_date as active_to
from {{ ref('int_contacts') }}
where counts
