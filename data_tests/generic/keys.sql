{#- The structure a model's rows keep, every rule of the model in one test: one dbt node a model
    rather than one a column and rule (dbt spends about 70 ms on a node whatever its SQL).
    - not_null: columns never NULL;
    - unique: columns (or lists of columns, a composite key) naming one row each; a key with a NULL
      part is not compared (not_null or the gate owns missing values);
    - relationships: {column, to, field}: every non-NULL `column` value (a list for a composite key)
      is a `field` value (default: the same name) of the model `to`;
    - composed: {column: expression}: column = expression wherever both are non-NULL.
    A failing row is one broken rule: `rule`, `column_name` and `failing_rows` (rows for not_null,
    relationships and composed; duplicated key values for unique, as dbt's own tests count), so the
    build names each (reach/build.py, broken_key_rules). -#}
{% test keys(model, not_null=[], unique=[], relationships=[], composed={}) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append(['not_null', column, 'select count(*) from ' ~ model ~ ' where ' ~ column ~ ' is null']) -%}
{%- endfor -%}
{%- for key in unique -%}
    {%- set columns = [key] if key is string else key -%}
    {%- set listed = columns | join(', ') -%}
    {%- do checks.append(['unique', listed,
        'select count(*) from (select 1 from ' ~ model ~ ' where ' ~ (columns | join(' is not null and ')) ~
        ' is not null group by ' ~ listed ~ ' having count(*) > 1)']) -%}
{%- endfor -%}
{%- for relationship in relationships -%}
    {%- set columns = [relationship.column] if relationship.column is string else relationship.column -%}
    {%- set fields = relationship.get('field', relationship.column) -%}
    {%- set fields = [fields] if fields is string else fields -%}
    {%- set matched = [] -%}
    {%- for column in columns -%}
        {%- do matched.append('parent.' ~ fields[loop.index0] ~ ' = child.' ~ column) -%}
    {%- endfor -%}
    {%- do checks.append(['relationships', columns | join(', '),
        'select count(*) from ' ~ model ~ ' as child where child.' ~ (columns | join(' is not null and child.')) ~
        ' is not null and not exists (select 1 from ' ~ ref(relationship.to) ~ ' as parent where ' ~
        (matched | join(' and ')) ~ ')']) -%}
{%- endfor -%}
{%- for column, expression in composed.items() -%}
    {%- do checks.append(['composed', column,
        'select count(*) from ' ~ model ~ ' where not (' ~ column ~ ' = ' ~ expression ~ ')']) -%}
{%- endfor -%}
select rule, column_name, failing_rows
from (
{%- for rule, column, query in checks %}
    {% if not loop.first %}union all {% endif %}select '{{ rule }}' as rule, '{{ column }}' as column_name, ({{ query }}) as failing_rows
{%- endfor %}
) as checked
where failing_rows > 0
{% endtest %}
