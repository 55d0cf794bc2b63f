-- Every delivered version of every event (raw.events), renamed and with empty codes mapped.
select
    _centre as centre,
    event_id,
    _centre || ':' || event_id as event_key,
    event_type,
    event_date,
    coalesce(district, 'unknown') as district_code,
    coalesce(audience, 'unknown') as audience,
    participants,
    participants_foreign,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'events') }}
