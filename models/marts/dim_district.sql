-- The 77 districts with their region, the latest foreign-resident denominator
-- (ref_foreign_residents) and population, plus the two reach values outside_region and unknown so
-- every client district has a row.
with latest_foreign_residents as (
    select
        district_code,
        arg_max(foreign_residents, year) as foreign_residents,
        max(year) as foreign_residents_year,
        arg_max(basis, year) as foreign_residents_basis
    from {{ ref('ref_foreign_residents') }}
    group by district_code
),

population_2021 as (
    select district_code, population
    from {{ ref('ref_district_population') }}
    where year = 2021
),

districts as (
    select
        districts.code,
        districts.name,
        districts.name as name_en,
        districts.region_code,
        districts.region_name,
        -- DEPRECATED, kept only until pipelines/metrics (reach_per_1000_foreign) reads
        -- foreign_residents alone: whether the district lies in Ústecký kraj, the only region
        -- with district denominators today (ref_foreign_residents).
        districts.region_code = 'CZ042' as in_usti_region,
        districts.seat,
        residents.foreign_residents,
        residents.foreign_residents_year,
        residents.foreign_residents_basis,
        population_2021.population as population_2021
    from {{ ref('ref_districts') }} as districts
    left join latest_foreign_residents as residents
        on residents.district_code = districts.code
    left join population_2021
        on population_2021.district_code = districts.code
)

select * from districts
union all
select
    code, label_cs as name, label_en as name_en, null as region_code, null as region_name,
    false as in_usti_region, null as seat, null as foreign_residents,
    null as foreign_residents_year, null as foreign_residents_basis, null as population_2021
from (values
    ('outside_region', 'Mimo kraj', 'Outside the region'),
    ('unknown', 'Neznámý', 'Unknown')
) as reach_values (code, label_cs, label_en)
