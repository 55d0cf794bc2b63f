-- The 77 districts with their region, the latest foreign-resident denominator
-- (ref_foreign_residents, where the reference gives one) and population, plus unknown so every
-- client's and event's district has a row.
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
    'unknown', 'Neznámý', 'Unknown', null, null, null, null, null, null, null
