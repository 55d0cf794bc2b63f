select
    contacts.contact_key,
    contacts.centre,
    contacts.contact_id,
    contacts.client_key,
    contacts.contact_date,
    contacts.service,
    contacts.topic,
    contacts.mode,
    contacts.duration_min,
    contacts.branch,
    contacts.branch_district,
    contacts.interpreted,
    {{ client_attributes('clients') }}
from {{ ref('int_contacts') }} as contacts
left join {{ ref('int_clients') }} as clients
    on clients.client_key = contacts.client_key
where contacts.counts
-- Stored by centre and date, as fct_activities is: a period's rows lie together; each row carries
-- its client's attributes (client_attributes), as fct_activities' do.
order by contacts.centre, contacts.contact_date
