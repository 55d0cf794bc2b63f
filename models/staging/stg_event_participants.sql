-- Every delivered version of every registration at an event (raw.event_participants), renamed.
select
    _centre as centre,
    event_id,
    client_id,
    _centre || ':' || event_id || ':' || client_id as participation_key,
    _centre || ':' || client_id as client_key,
    coalesce(deleted, false) as is_deleted,
    {{ lineage_columns() }}
from {{ source('raw', 'event_participants') }}
