-- The 14 regions (kraje, NUTS 3) with the latest population and foreign-resident figures where a
-- source gives them (ref_region_population, ref_region_foreign_residents), plus unknown so every
-- client's region of residence has a row.
with latest_foreign_residents as (
    select
        region_code,
        arg_max(foreign_residents, year) as foreign_residents,
        max(year) as foreign_residents_year,
        arg_max(basis, year) as foreign_residents_basis
    from {{ ref('ref_region_foreign_residents') }}
    group by region_code
),

latest_population as (
    select
        region_code,
        arg_max(population, year) as population,
        max(year) as population_year
    from {{ ref('ref_region_population') }}
    group by region_code
),

regions as (
    select
        regions.code,
        regions.iso_code,
        regions.name_cs as name,
        regions.name_en,
        population.population,
        population.population_year,
        residents.foreign_residents,
        residents.foreign_residents_year,
        residents.foreign_residents_basis
    from {{ ref('ref_regions') }} as regions
    left join latest_population as population
        on population.region_code = regions.code
    left join latest_foreign_residents as residents
        on residents.region_code = regions.code
)

select * from regions
union all
select
    'unknown', null, 'Neznámý', 'Unknown', null, null, null, null, null
