-- Current, non-retracted courses.
with latest as (
    {{ latest_version(source('raw', 'courses'), ['course_id']) }}
)

select
    _centre as centre,
    course_id,
    _centre || ':' || course_id as course_key,
    course_type,
    starts_on,
    ends_on,
    coalesce(ends_on, starts_on) as course_active_to,
    branch,
    planned_hours,
    _delivery_id,
    _load_seq,
    _file_name,
    _source_row
from latest
where not coalesce(deleted, false)
