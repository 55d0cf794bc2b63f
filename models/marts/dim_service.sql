select code, kind, label_cs, label_en
from {{ ref('ref_services') }}
