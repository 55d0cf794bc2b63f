select * from {{ ref('int_activities') }}
