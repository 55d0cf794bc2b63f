-- Current, non-retracted events with the district as the reach figures use it (relative to the
-- region of the event's centre) and the event's region, with the lineage of the current version
-- (the trace of an event figure names the file that delivered it).
with latest as (
    {{ latest_version(ref('stg_events'), ['event_id']) }}
)

select
    latest.centre,
    latest.event_id,
    latest.event_key,
    latest.event_type,
    latest.event_date,
    {{ region_district('districts', 'centres') }} as district,
    latest.district_code,
    coalesce(districts.region_code, 'unknown') as region,
    centres.region_code as centre_region,
    latest.audience,
    latest.participants,
    latest.participants_foreign,
    {{ lineage_columns('latest') }}
from latest
left join {{ ref('ref_districts') }} as districts
    on districts.code = latest.district_code
left join {{ ref('ref_centres') }} as centres
    on centres.code = latest.centre
where not latest.is_deleted
