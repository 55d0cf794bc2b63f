select * from {{ source('meta', 'load_files') }}
