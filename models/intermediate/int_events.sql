-- Current, non-retracted events with the district as the reach figures use it.
with latest as (
    {{ latest_version(ref('stg_events'), ['event_id']) }}
)

select
    latest.centre,
    latest.event_id,
    latest.event_key,
    latest.event_type,
    latest.event_date,
    {{ region_district('districts') }} as district,
    latest.district_code,
    latest.audience,
    latest.participants,
    latest.participants_foreign
from latest
left join {{ ref('ref_districts') }} as districts
    on districts.code = latest.district_code
where not latest.is_deleted
