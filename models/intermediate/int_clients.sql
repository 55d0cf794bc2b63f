-- Current, non-retracted clients with their district and region of residence (anywhere in Czechia),
-- whether that lies in the region of the client's centre (ref_centres) and the derived target group.
with register as (
    select * from {{ ref('int_clients_latest') }}
    where not is_deleted
)

select
    register.centre,
    register.client_id,
    register.client_key,
    register.sex,
    register.birth_year,
    register.nationality,
    coalesce(districts.code, 'unknown') as district,
    register.residence_district_code,
    coalesce(districts.region_code, 'unknown') as region,
    centres.region_code as centre_region,
    {{ in_centre_region('districts', 'centres') }} as in_centre_region,
    register.residence_status,
    register.registered_on,
    register.linkage_key,
    -- export-format.md, column Cílová skupina: derived only where the export left it empty,
    -- in the contract's order (the first rule that applies wins).
    coalesce(
        register.target_group,
        case
            when register.nationality = 'UA' then 'ukrainian'
            when register.residence_status in ('asylum', 'subsidiary_protection')
                then 'international_protection'
            when countries.is_third_country then 'third_country_national'
            when register.nationality = 'CZ' then 'majority_society'
            when countries.is_eu_eea_ch then 'eu_citizen'
            else 'unknown'
        end
    ) as target_group,
    register.target_group is null as target_group_derived
from register
left join {{ ref('ref_districts') }} as districts
    on districts.code = register.residence_district_code
left join {{ ref('ref_centres') }} as centres
    on centres.code = register.centre
left join {{ ref('ref_countries') }} as countries
    on countries.code = register.nationality
