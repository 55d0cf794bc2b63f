-- Copy of meta.deliveries so the dashboard's data-quality page needs only the warehouse.
select * from {{ source('meta', 'deliveries') }}
