{#- Custom schemas are used as given (staging, intermediate, reference, main) instead of
    dbt's default "<target schema>_<custom>", so the marts land in `main` as the contract says. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
