select
    enrolments.enrolment_key,
    enrolments.centre,
    enrolments.course_id,
    enrolments.client_key,
    courses.course_type,
    courses.starts_on,
    courses.ends_on,
    courses.course_active_to,
    enrolments.enrolled_on,
    enrolments.attendance_pct,
    enrolments.level_in,
    enrolments.level_out,
    enrolments.level_gain,
    enrolments.completed,
    enrolments.exam,
    courses.branch,
    {{ client_attributes('clients') }}
from {{ ref('int_course_enrolments') }} as enrolments
inner join {{ ref('int_courses') }} as courses
    on courses.centre = enrolments.centre
    and courses.course_id = enrolments.course_id
left join {{ ref('int_clients') }} as clients
    on clients.client_key = enrolments.client_key
where enrolments.counts
