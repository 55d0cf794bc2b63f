-- Current, non-retracted enrolments; a retracted client's dropped, orphans flagged,
-- has_course = the course is current and not retracted.
with latest as (
    {{ client_child_latest(source('raw', 'course_enrolments'), ['course_id', 'client_id']) }}
)

select
    latest._centre as centre,
    latest.course_id,
    latest.client_id,
    latest._centre || ':' || latest.course_id || ':' || latest.client_id as enrolment_key,
    latest.client_key,
    latest.enrolled_on,
    latest.attendance_pct,
    latest.level_in,
    latest.level_out,
    -- metrics.md, level_gains: both levels known and the exit level at least one step higher.
    coalesce(
        list_position(['pre-A1', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'], latest.level_out)
        > list_position(['pre-A1', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'], latest.level_in),
        false
    ) as level_gain,
    coalesce(latest.completed, false) as completed,
    coalesce(latest.exam, 'not_taken') as exam,
    latest.is_orphan,
    courses.course_id is not null as has_course,
    {{ lineage_columns('latest') }}
from latest
left join {{ ref('stg_courses') }} as courses
    on courses.centre = latest._centre
    and courses.course_id = latest.course_id
