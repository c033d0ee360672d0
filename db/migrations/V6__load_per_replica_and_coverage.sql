-- Load read per replica and for the whole component, with rates averaged over the time that was reported
-- rather than over the whole window (issue 9). Each bucket now also keeps:
--   replica_seconds     the sum of the intervals its samples cover (two replicas reporting 10 s each: 20),
--   memory_mib_seconds  memory integrated over those intervals, so the total over replicas can be read
--   in_flight_seconds   the same for requests in flight
--   reported_from/_to   the earliest start and the latest end of the intervals its reports cover.
-- Rows written before this migration keep what can be known of them: one replica over the whole bucket.
alter table component_load
    add column replica_seconds    double precision not null default 0 check (replica_seconds >= 0),
    add column memory_mib_seconds double precision not null default 0 check (memory_mib_seconds >= 0),
    add column in_flight_seconds  double precision not null default 0 check (in_flight_seconds >= 0),
    add column reported_from      timestamptz,
    add column reported_to        timestamptz;

update component_load set
    replica_seconds = case when samples > 0 then bucket_seconds else 0 end,
    memory_mib_seconds = case when samples > 0 then memory_mib_max * bucket_seconds else 0 end,
    in_flight_seconds = case when samples > 0 then in_flight_max * bucket_seconds else 0 end,
    reported_from = bucket_start,
    reported_to = bucket_start + make_interval(secs => bucket_seconds);

alter table component_load
    alter column reported_from set not null,
    alter column reported_to set not null,
    add constraint component_load_reported_span check (reported_to >= reported_from);

alter table edge_load
    add column replica_seconds double precision not null default 0 check (replica_seconds >= 0),
    add column reported_from   timestamptz,
    add column reported_to     timestamptz;

update edge_load set
    replica_seconds = case when samples > 0 then bucket_seconds else 0 end,
    reported_from = bucket_start,
    reported_to = bucket_start + make_interval(secs => bucket_seconds);

alter table edge_load
    alter column reported_from set not null,
    alter column reported_to set not null,
    add constraint edge_load_reported_span check (reported_to >= reported_from);
