-- The current version of every client ever delivered, retracted ones included: the client
-- register the other intermediate models use to drop a retracted client's records and to flag
-- orphans (client_child_latest).
{{ latest_version(ref('stg_clients'), ['client_id']) }}
