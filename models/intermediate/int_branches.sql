-- Every branch name delivered with a contact or course, placed in the district whose seat
-- it names (export-format.md, Pracoviště). Done once per distinct name, not per row.
with branches as (
    select distinct branch from {{ ref('stg_contacts') }} where branch is not null
    union
    select distinct branch from {{ ref('stg_courses') }} where branch is not null
),

matches as (
    select
        branches.branch,
        districts.code,
        length(districts.seat_folded) as seat_length
    from branches
    inner join {{ ref('ref_districts') }} as districts
        on districts.seat_folded <> ''
        and regexp_matches(
            strip_accents(lower(trim(branches.branch))),
            '(^|[^a-z0-9])' || districts.seat_folded || '($|[^a-z0-9])'
        )
)

select
    branches.branch,
    -- The longest seat named wins ("Nový Jičín" over Jičín, which it contains).
    arg_max(matches.code, matches.seat_length) as branch_district
from branches
left join matches on matches.branch = branches.branch
group by branches.branch
