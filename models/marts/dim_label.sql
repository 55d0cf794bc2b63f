-- Czech and English labels of the other coded dimensions (sex, residence status, ...).
select dimension, code, label_cs, label_en
from {{ ref('ref_labels') }}
