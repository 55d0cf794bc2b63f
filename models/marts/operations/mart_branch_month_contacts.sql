-- Contacts per branch and month, for completeness and anomaly checks.
select
    centre,
    coalesce(branch, 'unknown') as branch,
    strftime(contact_date, '%Y-%m') as month,
    date_trunc('month', contact_date)::date as month_start,
    count(*) as contacts
from {{ ref('int_contacts') }}
where counts
group by all
