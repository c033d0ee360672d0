-- The scheduling loop (issue 12): every plan the planner computes is kept as a numbered generation of its
-- version, applied or not, with a summary of what it was computed from, its score and both baselines, the
-- diff from the plan that was applied before it, and the decision taken (applied, or why not). Groups and
-- assignments of a generation stay in plan_groups and assignments; only the active (applied) plan's
-- assignments are what agents are told to run.
-- Released migrations are never edited: later changes go in new files (db/migrations/README.md).

-- ---------------------------------------------------------------------------------------------
-- Plans: outcome, decision and what the plan was computed from. An infeasible plan has no cost.
-- ---------------------------------------------------------------------------------------------
alter table plans
    alter column cost_per_hour drop not null,
    alter column remote_call_cpu drop not null,
    -- FEASIBLE: every replica placed; PARTIAL: the running plan kept what still runs and placed what fits
    -- (the rest is listed in unplaced); INFEASIBLE: no plan (reasons in unplaced); RELEASE: the version runs nothing
    add column status varchar(16) not null default 'FEASIBLE'
        check (status in ('FEASIBLE', 'PARTIAL', 'INFEASIBLE', 'RELEASE')),
    add column applied boolean not null default false,
    -- e.g. APPLIED_FIRST, APPLIED_BETTER, APPLIED_INVALID, KEPT_NOT_BETTER, KEPT_INFEASIBLE (planning/Decision)
    add column decision varchar(32) not null default 'APPLIED_FIRST',
    add column decision_reason varchar(4096) not null default '',
    -- what asked for this plan: [{"kind": "AGENT_LOST", "detail": "..."}]
    add column triggers jsonb not null default '[]'::jsonb,
    -- the load, agents and cost model it was computed from (summary; see planning/PlanInputs)
    add column inputs jsonb not null default '{}'::jsonb,
    add column score jsonb,
    add column baselines jsonb,
    -- replicas or components that could not be placed, with the planner's reasons
    add column unplaced jsonb not null default '[]'::jsonb,
    add column solver varchar(64),
    add column proven_optimal boolean not null default false,
    -- the applied generation the diff is taken from (null: none was applied before)
    add column based_on_generation bigint check (based_on_generation is null or based_on_generation > 0),
    add column applied_at timestamptz,
    -- the leader's fencing epoch when the plan was written (0 on a single control-plane node)
    add column leader_epoch bigint not null default 0 check (leader_epoch >= 0);
-- plans written before this migration (none by the planner) count as applied when active
update plans set applied = true where active;

-- ---------------------------------------------------------------------------------------------
-- Groups: their name (the alphabetically first component), size and resources, as the planner gave them.
-- ---------------------------------------------------------------------------------------------
alter table plan_groups
    add column name varchar(63) not null default '',
    add column cpu double precision not null default 0 check (cpu >= 0),
    add column cores double precision not null default 0 check (cores >= 0),
    add column memory_gib double precision not null default 0 check (memory_gib >= 0),
    add column labels jsonb not null default '[]'::jsonb;

-- ---------------------------------------------------------------------------------------------
-- Assignments: the id agents see (stable across plans for a replica that stays on its agent with the same
-- components, so an agent does not restart what did not move) and what one replica may use.
-- ---------------------------------------------------------------------------------------------
alter table assignments
    add column assignment_uid varchar(64) not null default gen_random_uuid()::text
        check (assignment_uid ~ '^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$'),
    add column cpu_millis integer not null default 0 check (cpu_millis >= 0),
    add column memory_mib integer not null default 0 check (memory_mib >= 0),
    add constraint assignments_plan_uid_key unique (plan_id, assignment_uid);

-- ---------------------------------------------------------------------------------------------
-- The versions the planner keeps placed (deployed, or placed beside the serving one by a rollout), and
-- those it is releasing (their next plan runs nothing).
-- ---------------------------------------------------------------------------------------------
create table planned_versions (
    version_id      bigint       primary key references versions (id) on delete cascade,
    application_id  bigint       not null references applications (id) on delete cascade,
    releasing       boolean      not null default false,
    requested_at    timestamptz  not null,
    foreign key (application_id, version_id) references versions (application_id, id) on delete cascade
);
create index planned_versions_application_idx on planned_versions (application_id);
