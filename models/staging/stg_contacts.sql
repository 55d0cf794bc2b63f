-- Every delivered version of every contact (raw.contacts), renamed and with empty codes mapped.
select
    _centre as centre,
    contact_id,
    _centre || ':' || contact_id as contact_key,
    client_id,
    _centre || ':' || client_id as client_key,
    contact_date,
    service,
    coalesce(topic, 'unknown') as topic,
    coalesce(mode, 'unknown') as mode,
    duration_min,
    branch,
    -- An empty boolean cell means "no".
    coalesce(interpreted, false) as interpreted,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'contacts') }}
