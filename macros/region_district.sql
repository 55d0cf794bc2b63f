{#- A district code as the reach figures use it: the Ústí Region's own codes, any other of
    the 77 codes as outside_region, anything else (empty, unknown) as unknown. `districts` is
    the alias of ref_districts left-joined on the delivered district code. -#}
{% macro region_district(districts) %}
    case
        when {{ districts }}.in_usti_region then {{ districts }}.code
        when {{ districts }}.code is not null then 'outside_region'
        else 'unknown'
    end
{% endmacro %}
