{#- The lineage every delivered row keeps from the raw layer to the intermediate models (docs/loading.md):
    which delivery and file it came from, in which load, and its row in that file. -#}
{% macro lineage_columns(relation=none) -%}
{%- set prefix = relation ~ '.' if relation else '' -%}
{%- for column in ['_delivery_id', '_load_seq', '_file_name', '_file_sha256', '_source_row'] -%}
{{ prefix }}{{ column }}{{ ',\n    ' if not loop.last }}
{%- endfor -%}
{%- endmacro %}
