-- What the control plane pushes to agents (issue 12): each agent's full desired AssignmentSet, each placed
-- version's RoutingTable and each application's TrafficSplit, as last sent, with their generations. Any
-- control-plane node reads them to bring an agent that connects to it up to date, and to push a change the
-- leader committed to the agents whose streams it holds.
-- Released migrations are never edited: later changes go in new files (db/migrations/README.md).

-- One row per agent ever assigned anything; the generation only grows.
create table agent_assignment_sets (
    agent_id               varchar(128)  primary key references agents (id) on delete cascade,
    generation             bigint        not null check (generation > 0),
    -- the weft.agent.v1.AssignmentSet as sent (protobuf bytes)
    assignment_set         bytea         not null,
    replicas               integer       not null check (replicas >= 0),
    updated_at             timestamptz   not null,
    -- the latest AssignmentAck of the agent
    acked_generation       bigint        not null default 0 check (acked_generation >= 0),
    ack_applied            boolean       not null default false,
    ack_message            varchar(2048) not null default '',
    failed_assignment_ids  text[]        not null default '{}',
    acked_at               timestamptz
);

-- One row per version that was ever placed.
create table routing_tables (
    version_id      bigint         primary key references versions (id) on delete cascade,
    application_id  bigint         not null references applications (id) on delete cascade,
    generation      bigint         not null check (generation > 0),
    -- the weft.agent.v1.RoutingTable as sent (protobuf bytes)
    routing_table   bytea          not null,
    -- agents hosting a replica of the version: the table goes to them only
    hosts           varchar(128)[] not null default '{}',
    -- agents hosting a replica of an ingress component, and those replicas' endpoints (JSON: [{address, assignmentId}])
    ingress_hosts   varchar(128)[] not null default '{}',
    ingress         jsonb          not null default '[]'::jsonb,
    updated_at      timestamptz    not null,
    foreign key (application_id, version_id) references versions (application_id, id) on delete cascade
);
create index routing_tables_application_idx on routing_tables (application_id);

-- One row per application whose traffic split was ever set.
create table traffic_split_pushes (
    application_id  bigint         primary key references applications (id) on delete cascade,
    generation      bigint         not null check (generation > 0),
    -- the weft.agent.v1.TrafficSplit as sent (protobuf bytes)
    traffic_split   bytea          not null,
    -- agents hosting an ingress component of any placed version of the application
    hosts           varchar(128)[] not null default '{}',
    updated_at      timestamptz    not null
);

-- Replicas an agent failed to start, per version: after weft.planner.max-start-failures the agent is excluded
-- from that version's plans (until it says hello again) and the replicas are placed elsewhere.
create table replica_start_failures (
    version_id          bigint         not null references versions (id) on delete cascade,
    agent_id            varchar(128)   not null references agents (id) on delete cascade,
    failures            integer        not null check (failures > 0),
    last_assignment_id  varchar(64)    not null,
    last_message        varchar(2048)  not null default '',
    last_failed_at      timestamptz    not null,
    excluded            boolean        not null default false,
    primary key (version_id, agent_id)
);
create index replica_start_failures_agent_idx on replica_start_failures (agent_id);
