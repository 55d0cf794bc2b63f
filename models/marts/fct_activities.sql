-- The activities of metrics.md in one table: one row per contact, course enrolment and
-- registered event participation that counts.
-- Stored by centre and start: every figure selects a period (and a user's scope, centres), so
-- DuckDB's per-row-group min/max skip most of the table (docs/performance.md).
select * from (
    select * from {{ ref('int_activities_contacts') }}
    union all
    select * from {{ ref('int_activities_courses') }}
    union all
    select * from {{ ref('int_activities_events') }}
)
order by centre, active_from
