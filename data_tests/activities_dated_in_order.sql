-- No activity ends before it starts.
select * from {{ ref('fct_activities') }}
where active_to < active_from
