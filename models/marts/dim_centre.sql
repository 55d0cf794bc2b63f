-- The product's centres (ref_centres) with their region's names.
select
    centres.code,
    centres.name,
    centres.operator,
    centres.region_code,
    regions.name_cs as region_name,
    regions.name_en as region_name_en,
    centres.project_code,
    centres.project_from,
    centres.project_to,
    centres.basis
from {{ ref('ref_centres') }} as centres
left join {{ ref('ref_regions') }} as regions
    on regions.code = centres.region_code
