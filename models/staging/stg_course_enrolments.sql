-- Every delivered version of every course enrolment (raw.course_enrolments), renamed and with
-- empty values mapped (no exam = not_taken, empty boolean = no).
select
    _centre as centre,
    course_id,
    client_id,
    _centre || ':' || course_id || ':' || client_id as enrolment_key,
    _centre || ':' || client_id as client_key,
    enrolled_on,
    attendance_pct,
    level_in,
    level_out,
    coalesce(completed, false) as completed,
    coalesce(exam, 'not_taken') as exam,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'course_enrolments') }}
