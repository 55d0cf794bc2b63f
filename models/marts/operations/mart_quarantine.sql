-- Rows that do not count: the loader's hard quarantine plus the current orphans (rows naming
-- a client the centre has not delivered; they start counting once the client arrives).
-- What a steward needs to fix a row: file, row, column, reason and the offending value (masked
-- by the loader where it holds an identifier). The row as delivered (meta.quarantine.record)
-- stays in the raw layer and is not published.
{% set orphan_sources = [
    ('int_contacts', 'kontakty'),
    ('int_course_enrolments', 'ucastnici_kurzu'),
    ('int_event_participants', 'ucastnici_akci'),
    ('int_outcomes', 'vysledky'),
] %}

select
    'quarantine' as kind,
    delivery_id,
    centre,
    load_seq,
    file_name,
    file_kind,
    file_sha256,
    source_row,
    column_name,
    value,
    reason,
    loaded_at
from {{ source('meta', 'quarantine') }}

{% for model, file_kind in orphan_sources %}
union all
select
    'orphan' as kind,
    orphans._delivery_id as delivery_id,
    orphans.centre,
    orphans._load_seq as load_seq,
    orphans._file_name as file_name,
    '{{ file_kind }}' as file_kind,
    orphans._file_sha256 as file_sha256,
    orphans._source_row as source_row,
    'ID klienta' as column_name,
    orphans.client_id as value,
    'orphan: client not delivered' as reason,
    deliveries.loaded_at
from {{ ref(model) }} as orphans
left join {{ source('meta', 'deliveries') }} as deliveries
    on deliveries.delivery_id = orphans._delivery_id
where orphans.is_orphan
{% endfor %}
