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
    branches.branch_district,
    contacts.interpreted
from {{ ref('stg_contacts') }} as contacts
left join {{ ref('stg_branches') }} as branches
    on branches.branch = contacts.branch
where not contacts.is_orphan
