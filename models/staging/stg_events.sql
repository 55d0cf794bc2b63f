-- Current, non-retracted events with the district as the reach figures use it.
with latest as (
    {{ latest_version(source('raw', 'events'), ['event_id']) }}
)

select
    latest._centre as centre,
    latest.event_id,
    latest._centre || ':' || latest.event_id as event_key,
    latest.event_type,
    latest.event_date,
    {{ region_district('districts') }} as district,
    coalesce(latest.district, 'unknown') as district_code,
    coalesce(latest.audience, 'unknown') as audience,
    latest.participants,
    latest.participants_foreign,
    latest._delivery_id,
    latest._load_seq,
    latest._file_name,
    latest._source_row
from latest
left join {{ ref('ref_districts') }} as districts
    on districts.code = latest.district
where not coalesce(latest.deleted, false)
