select code, label_cs, label_en
from {{ ref('ref_outcomes') }}
