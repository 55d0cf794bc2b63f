{#- Every row satisfies `expression` (a SQL boolean over the model's columns); a NULL result
    is not a failure (the not_null tests own missing values). -#}
{% test expression_is_true(model, column_name, expression) %}
    select * from {{ model }} where not ({{ expression }})
{% endtest %}
