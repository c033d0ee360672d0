-- Deployments (issue 12): which versions an operator deployed (or a rollout placed), where each stands
-- (placing, short of capacity, placed, failed, releasing, released), and whether it is the application's
-- first version, which gets all of the application's traffic once it is fully placed.
-- Released migrations are never edited: later changes go in new files (db/migrations/README.md).
create table deployments (
    version_id        bigint         primary key references versions (id) on delete cascade,
    application_id    bigint         not null references applications (id) on delete cascade,
    state             varchar(20)    not null
                      check (state in ('PLACING', 'SHORT_OF_CAPACITY', 'PLACED', 'FAILED', 'RELEASING', 'RELEASED')),
    reason            varchar(4096)  not null default '',
    -- true for the version an operator deployed as the application's first: it gets 100 % once placed
    takes_traffic     boolean        not null,
    requested_at      timestamptz    not null,
    state_changed_at  timestamptz    not null,
    placed_at         timestamptz,
    foreign key (application_id, version_id) references versions (application_id, id) on delete cascade
);
create index deployments_application_idx on deployments (application_id);

-- The routing order of an application's traffic split (CONTRACTS.md): the version a rollout moves to first, then
-- the one it moves from, then any other at weight 0. Agents get the weights in this order.
alter table traffic_splits add column position integer not null default 0 check (position >= 0);
