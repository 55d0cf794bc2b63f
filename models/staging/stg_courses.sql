-- Every delivered version of every course (raw.courses), renamed.
select
    _centre as centre,
    course_id,
    _centre || ':' || course_id as course_key,
    course_type,
    starts_on,
    ends_on,
    branch,
    planned_hours,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'courses') }}
