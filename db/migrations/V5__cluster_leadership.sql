-- Several control-plane replicas share one database and exactly one of them leads (runs the planner,
-- later the rollout driver). The leader is the node holding a PostgreSQL session-level advisory lock;
-- this table holds the fencing token of its term, so a node that lost the lock (paused, cut off) can no
-- longer commit a change: every change the leader makes checks, inside its own transaction and with a
-- row lock (select ... for share), that its epoch is still this row's. Released migrations are never
-- edited: later changes go in new files.

create table cluster_leadership (
    -- one row, always
    id           smallint     primary key default 1 check (id = 1),
    -- incremented each time a node becomes leader; 0 until the first election
    epoch        bigint       not null check (epoch >= 0),
    -- weft.cluster.node-id of the node elected with this epoch (null before the first election)
    leader_node  varchar(128) check (leader_node is null or length(leader_node) between 1 and 128),
    elected_at   timestamptz,
    check ((epoch = 0) = (leader_node is null)),
    check ((leader_node is null) = (elected_at is null))
);

insert into cluster_leadership (id, epoch) values (1, 0);
