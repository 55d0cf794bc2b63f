select * from {{ source('meta', 'load_warnings') }}
