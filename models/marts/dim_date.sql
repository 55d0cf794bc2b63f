-- Calendar covering every whole year in which the warehouse holds a date.
with bounds as (
    select
        min(day) as first_day,
        max(day) as last_day
    from (
        select active_from as day from {{ ref('fct_activities') }}
        union all select active_to from {{ ref('fct_activities') }}
        union all select registered_on from {{ ref('int_clients') }}
        union all select outcome_date from {{ ref('int_outcomes') }}
        union all select event_date from {{ ref('int_events') }}
        union all select current_date
    ) as all_days
),

days as (
    select unnest(generate_series(
        date_trunc('year', first_day)::date,
        (date_trunc('year', last_day) + interval 1 year - interval 1 day)::date,
        interval 1 day
    ))::date as date_day
    from bounds
)

select
    date_day,
    year(date_day) as year,
    quarter(date_day) as quarter,
    month(date_day) as month,
    strftime(date_day, '%Y-%m') as year_month,
    isodow(date_day) as iso_weekday
from days
