-- Current, non-retracted events with their district and region (anywhere in Czechia), whether that
-- lies in the region of the event's centre (ref_centres), and the lineage of the current version
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
    coalesce(districts.code, 'unknown') as district,
    latest.district_code,
    coalesce(districts.region_code, 'unknown') as region,
    centres.region_code as centre_region,
    {{ in_centre_region('districts', 'centres') }} as in_centre_region,
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
