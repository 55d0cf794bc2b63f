select code, alpha3, numeric, name_cs, name_en, is_third_country
from {{ ref('ref_countries') }}
