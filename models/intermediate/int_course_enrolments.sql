-- Current, non-retracted enrolments; a retracted client's dropped, orphans flagged, the level
-- gain derived. counts = the client was delivered and the course is current.
with latest as (
    {{ client_child_latest(ref('stg_course_enrolments'), ['course_id', 'client_id']) }}
)

select
    latest.centre,
    latest.course_id,
    latest.client_id,
    latest.enrolment_key,
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
    latest.completed,
    latest.exam,
    latest.is_orphan,
    courses.course_id is not null as has_course,
    not latest.is_orphan and courses.course_id is not null as counts,
    {{ lineage_columns('latest') }}
from latest
left join {{ ref('int_courses') }} as courses
    on courses.centre = latest.centre
    and courses.course_id = latest.course_id
