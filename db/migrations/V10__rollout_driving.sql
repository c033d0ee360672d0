-- Rollouts driven by the scheduler (issue 13). The rules live in the rollout/ library; the database keeps every
-- rollout's whole state after each move, so a restarted control plane or a new leader resumes it exactly: the same
-- step, the same remaining hold, no step or push repeated or skipped.
--   rollouts.id            numbered by a sequence (V1 left it without a default)
--   rollouts.document      the library's RolloutState as JSON (the source of truth; state, current_step and reason
--                          are kept beside it for queries)
--   rollouts.revision      increases with every write, so a move decided on an older state is detected
--   rollouts.created_by    who started it
--   rollout_steps.readings the latest reading of each gate of the step (new and old side by side, verdict)
--   rollout_steps.outcome  may also be ABORTED (the rollout went back during the step for another reason than a gate)
-- Version violations: calls that crossed versions, from two sources (an agent refused the call, or an agent's load
-- report listed an edge between two versions); names, not foreign keys, so the evidence outlives the versions.
create sequence rollouts_id_seq owned by rollouts.id;
alter table rollouts
    alter column id set default nextval('rollouts_id_seq'),
    add column document    jsonb        not null default '{}'::jsonb,
    add column revision    bigint       not null default 0 check (revision >= 0),
    add column created_by  varchar(256) not null default '',
    add column finished_at timestamptz;
create index rollouts_newest_idx on rollouts (application_id, id desc);

alter table rollout_steps
    drop constraint rollout_steps_outcome_check,
    add constraint rollout_steps_outcome_check check (outcome in ('PASSED', 'FAILED', 'SKIPPED', 'ABORTED')),
    add column readings jsonb not null default '[]'::jsonb;

create table version_violations (
    id              bigint        generated always as identity primary key,
    application_id  bigint        not null references applications (id) on delete cascade,
    caller_version  varchar(63)   not null,
    caller          varchar(256)  not null,
    callee_version  varchar(63)   not null,
    callee          varchar(256)  not null,
    calls           bigint        not null check (calls > 0),
    -- AGENT_REFUSED: an agent refused the calls (ViolationReport); LOAD_EDGE: a load report listed them
    source          varchar(16)   not null check (source in ('AGENT_REFUSED', 'LOAD_EDGE')),
    agent_id        varchar(128)  not null,
    observed_at     timestamptz   not null,
    check (caller_version <> callee_version)
);
create index version_violations_application_idx on version_violations (application_id, observed_at);
