-- The current version of every client ever delivered, retracted ones included: the client
-- register that staging uses to drop a retracted client's records and to flag orphans.
with latest as (
    {{ latest_version(source('raw', 'clients'), ['client_id']) }}
)

select
    _centre as centre,
    client_id,
    coalesce(deleted, false) as is_deleted,
    sex,
    birth_year,
    citizenship,
    residence_status,
    district,
    registered_on,
    target_group,
    _delivery_id,
    _load_seq,
    _file_name,
    _source_row
from latest
