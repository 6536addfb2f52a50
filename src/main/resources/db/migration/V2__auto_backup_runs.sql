-- One auto-backup run per schedule across replicas: the replica whose insert of the
-- schedule's slot (its nominal fire time in the schedule's timezone) succeeds runs it;
-- the others find the row and skip. Only this service uses the table.
create table if not exists gateway_backup_runs (
    slot       text primary key,
    claimed_at timestamptz not null default now(),
    instance   text not null
);
