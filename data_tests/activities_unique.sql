-- An activity appears once: per kind, centre, activity and client (the key of fct_activities).
select activity_kind, centre, activity_id, client_key, count(*) as copies
from {{ ref('fct_activities') }}
group by all
having count(*) > 1
