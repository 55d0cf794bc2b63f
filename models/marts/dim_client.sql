select
    client_key,
    centre,
    client_id,
    sex,
    birth_year,
    nationality,
    district,
    residence_district_code,
    region,
    centre_region,
    in_centre_region,
    target_group,
    target_group_derived,
    residence_status,
    registered_on,
    linkage_key
from {{ ref('int_clients') }}
