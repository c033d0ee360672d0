-- Agent authentication and what the agent registry keeps about each agent between heartbeats.
-- Released migrations are never edited: later changes go in new files.

-- Bootstrap tokens agents present in their first hello. Only SHA-256 hashes (hex) are stored; the
-- configured list (weft.agents.bootstrap-tokens) is written here on start and is the source of truth.
create table agent_bootstrap_tokens (
    token_hash  varchar(64)  primary key check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz  not null
);

-- RELEASED: a drained agent that runs nothing any more and was let go.
alter table agents drop constraint agents_state_check;
alter table agents add constraint agents_state_check
    check (state in ('CONNECTED', 'DISCONNECTED', 'LOST', 'REVOKED', 'RELEASED'));

-- agents.session_token_hash (V1) holds the SHA-256 hex of the session credential of the latest welcome.
alter table agents add constraint agents_session_token_hash_check
    check (session_token_hash is null or session_token_hash ~ '^[0-9a-f]{64}$');

alter table agents
    -- what the agent's replicas use, from its latest heartbeat
    add column used_cpu_millis     integer      not null default 0 check (used_cpu_millis >= 0),
    add column used_memory_mib     integer      not null default 0 check (used_memory_mib >= 0),
    -- the replicas the agent said it runs (hello or heartbeat), kept so a reconnect re-syncs
    add column reported_replicas   jsonb        not null default '[]'::jsonb,
    -- generation of the last assignment set the agent applied
    add column applied_generation  bigint       not null default 0 check (applied_generation >= 0),
    add column agent_version       varchar(128) not null default '',
    add column state_changed_at    timestamptz;

update agents set state_changed_at = registered_at;
-- a default, so rows written by code that predates this column (or by tests) still insert
alter table agents alter column state_changed_at set default now(), alter column state_changed_at set not null;
