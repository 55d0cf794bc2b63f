{#- Whether the district lies in the region of the row's centre (metrics.md, in_centre_region):
    yes, no, or unknown (district unknown, or a centre missing from ref_centres). `districts` is the
    alias of ref_districts left-joined on the delivered district code, `centres` the alias of
    ref_centres left-joined on the row's centre: the region is the centre's (ref_centres.region_code,
    as dim_centre shows it), never a list of districts. -#}
{% macro in_centre_region(districts, centres) %}
    case
        when {{ districts }}.code is null or {{ centres }}.region_code is null then 'unknown'
        when {{ districts }}.region_code = {{ centres }}.region_code then 'yes'
        else 'no'
    end
{% endmacro %}
