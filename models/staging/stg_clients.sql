-- Every delivered version of every client (raw.clients), renamed and with empty codes mapped to
-- unknown. No filtering and no joins: latest-version-wins is int_clients_latest's.
select
    _centre as centre,
    client_id,
    _centre || ':' || client_id as client_key,
    coalesce(sex, 'unknown') as sex,
    birth_year,
    coalesce(citizenship, 'unknown') as nationality,
    coalesce(residence_status, 'unknown') as residence_status,
    coalesce(district, 'unknown') as residence_district_code,
    registered_on,
    -- NULL where the export left it empty: int_clients derives it.
    target_group,
    -- NULL where the export has no Národní klíč (ingest already emptied malformed keys).
    linkage_key,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'clients') }}
