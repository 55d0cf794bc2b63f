-- Current, non-retracted contacts; a retracted client's dropped, orphans flagged, the branch
-- placed in a district. counts = the contact counts (its client was delivered).
with latest as (
    {{ client_child_latest(ref('stg_contacts'), ['contact_id']) }}
)

select
    latest.centre,
    latest.contact_id,
    latest.contact_key,
    latest.client_id,
    latest.client_key,
    latest.contact_date,
    latest.service,
    latest.topic,
    latest.mode,
    latest.duration_min,
    latest.branch,
    branches.branch_district,
    latest.interpreted,
    latest.is_orphan,
    not latest.is_orphan as counts,
    latest._delivery_id,
    latest._load_seq,
    latest._file_name,
    latest._file_sha256,
    latest._source_row
from latest
left join {{ ref('int_branches') }} as branches
    on branches.branch = latest.branch
