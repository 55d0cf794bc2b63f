-- Current, non-retracted clients with canonical codes and the derived target group.
with register as (
    select * from {{ ref('base_clients_latest') }}
    where not is_deleted
),

coded as (
    select
        register.*,
        coalesce(register.citizenship, 'unknown') as nationality,
        coalesce(register.residence_status, 'unknown') as residence_status_code,
        coalesce(register.district, 'unknown') as residence_district_code
    from register
)

select
    coded.centre,
    coded.client_id,
    coded.centre || ':' || coded.client_id as client_key,
    coalesce(coded.sex, 'unknown') as sex,
    coded.birth_year,
    coded.nationality,
    {{ region_district('districts') }} as district,
    coded.residence_district_code,
    coded.residence_status_code as residence_status,
    coded.registered_on,
    -- export-format.md, column Cílová skupina: derived only where the export left it empty,
    -- in the contract's order (the first rule that applies wins).
    coalesce(
        coded.target_group,
        case
            when coded.nationality = 'UA' then 'ukrainian'
            when coded.residence_status_code in ('asylum', 'subsidiary_protection')
                then 'international_protection'
            when countries.is_third_country then 'third_country_national'
            when coded.nationality = 'CZ' then 'majority_society'
            when countries.is_eu_eea_ch then 'eu_citizen'
            else 'unknown'
        end
    ) as target_group,
    coded.target_group is null as target_group_derived,
    coded._delivery_id,
    coded._load_seq,
    coded._file_name,
    coded._source_row
from coded
left join {{ ref('ref_districts') }} as districts
    on districts.code = coded.residence_district_code
left join {{ ref('ref_countries') }} as countries
    on countries.code = coded.nationality
