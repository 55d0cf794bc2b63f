{#- The lineage a client-referencing staging model carries for each row (the delivery, load,
    file and row it came from), so that mart_quarantine can point an orphan at its file row.
    `relation` is the alias the columns are selected from. -#}
{% macro lineage_columns(relation) %}
    {{ relation }}._delivery_id,
    {{ relation }}._load_seq,
    {{ relation }}._file_name,
    {{ relation }}._file_sha256,
    {{ relation }}._source_row
{% endmacro %}
