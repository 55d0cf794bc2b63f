{#- The client's attributes a fact row carries (docs/warehouse.md): copies of dim_client's columns
    the metric layer's client dimensions and scope read, named client_<column>. `clients` is the
    alias of int_clients (the rows and columns of dim_client) joined on the row's client_key. The
    metric layer reads a carried copy where the fact has it and joins dim_client for anything else
    (pipelines/metrics/sql.py). -#}
{% macro client_attributes(clients) %}
    {%- for column in ['nationality', 'district', 'region', 'in_centre_region', 'target_group', 'sex',
                       'birth_year', 'residence_status', 'residence_district_code'] %}
    {{ clients }}.{{ column }} as client_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}
