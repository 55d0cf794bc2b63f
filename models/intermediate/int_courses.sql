-- Current, non-retracted courses, with the last day each counts as running.
with latest as (
    {{ latest_version(ref('stg_courses'), ['course_id']) }}
)

select
    centre,
    course_id,
    course_key,
    course_type,
    starts_on,
    ends_on,
    -- metrics.md, "What counts": a course without an end date is active on its start.
    coalesce(ends_on, starts_on) as course_active_to,
    branch,
    planned_hours
from latest
where not is_deleted
