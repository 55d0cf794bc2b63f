-- The activities of metrics.md in one table: one row per contact, course enrolment and
-- registered event participation that counts.
select * from {{ ref('int_activities_contacts') }}
union all
select * from {{ ref('int_activities_courses') }}
union all
select * from {{ ref('int_activities_events') }}
