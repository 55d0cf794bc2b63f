-- The course enrolments that count, as activities: active from the course's start to
-- coalesce(end, start).
select
    enrolments.centre,
    enrolments.client_key,
    'course' as activity_kind,
    enrolments.course_id as activity_id,
    courses.course_type as service,
    courses.starts_on as active_from,
    courses.course_active_to as active_to
from {{ ref('int_course_enrolments') }} as enrolments
inner join {{ ref('int_courses') }} as courses
    on courses.centre = enrolments.centre
    and courses.course_id = enrolments.course_id
where enrolments.counts
