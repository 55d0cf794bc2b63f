{#- A district as a centre's reach figures show it: a district of the region of the centre that
    delivered the row is kept, any other of the country's districts is outside_region, anything
    else (empty, unknown) is unknown; so is every district of a centre missing from ref_centres.
    `districts` is the alias of ref_districts left-joined on the delivered district code, `centres`
    the alias of ref_centres left-joined on the row's centre. -#}
{% macro region_district(districts, centres) %}
    case
        when {{ districts }}.code is null or {{ centres }}.region_code is null then 'unknown'
        when {{ districts }}.region_code = {{ centres }}.region_code then {{ districts }}.code
        else 'outside_region'
    end
{% endmacro %}

{#- Whether the district lies in the region of the row's centre (metrics.md, in_centre_region):
    yes, no, or unknown (district or centre's region unknown). Same aliases as region_district. -#}
{% macro in_centre_region(districts, centres) %}
    case
        when {{ districts }}.code is null or {{ centres }}.region_code is null then 'unknown'
        when {{ districts }}.region_code = {{ centres }}.region_code then 'yes'
        else 'no'
    end
{% endmacro %}
