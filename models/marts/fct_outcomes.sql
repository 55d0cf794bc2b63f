select
    outcomes.outcome_key,
    outcomes.centre,
    outcomes.outcome_id,
    outcomes.client_key,
    outcomes.outcome_date,
    outcomes.outcome,
    outcomes.verified,
    (outcomes.outcome_date - clients.registered_on)::integer as days_from_registration,
    {{ client_attributes('clients') }}
from {{ ref('int_outcomes') }} as outcomes
inner join {{ ref('int_clients') }} as clients
    on clients.client_key = outcomes.client_key
where outcomes.counts
