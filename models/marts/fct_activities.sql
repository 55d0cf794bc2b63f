-- The activities of metrics.md in one table: one row per contact, course enrolment and
-- registered event participation that counts.
-- Stored by centre and start: every figure selects a period (and a user's scope, centres), so
-- DuckDB's per-row-group min/max skip most of the table (docs/performance.md).
-- Each row carries its client's attributes (client_attributes), so a breakdown by them needs no join.
select
    activities.*,
    {{ client_attributes('clients') }}
from (
    select * from {{ ref('int_activities_contacts') }}
    union all
    select * from {{ ref('int_activities_courses') }}
    union all
    select * from {{ ref('int_activities_events') }}
) as activities
left join {{ ref('int_clients') }} as clients
    on clients.client_key = activities.client_key
order by activities.centre, activities.active_from
