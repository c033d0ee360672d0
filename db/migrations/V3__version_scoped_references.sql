-- Integrity V1 left to the code: a row that names a component, a plan group or a version can no longer
-- point into another version, plan or application. Also: pin label keys as long as Kubernetes (and the
-- agents' labels) allow, and the indexes the registry's deletes and lookups need.
-- Released migrations are never edited: later changes go in new files (db/migrations/README.md).

-- ---------------------------------------------------------------------------------------------
-- Pin labels: the key is an optional DNS-subdomain prefix (<= 253) and '/', then a name (<= 63), so
-- 317 characters at most; V1's varchar(253) refused keys the API accepted. The checks repeat the
-- API's rules (registry/LabelSelector) so the API rejects first and the database never disagrees.
-- ---------------------------------------------------------------------------------------------
alter table placement_constraints
    alter column label_key type varchar(317),
    add constraint placement_constraints_label_key_check
        check (label_key ~ '^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'),
    add constraint placement_constraints_label_value_check
        check (label_value ~ '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$');

-- ---------------------------------------------------------------------------------------------
-- Constraint members: components of the constraint's own version.
-- ---------------------------------------------------------------------------------------------
alter table placement_constraints add constraint placement_constraints_id_version_key unique (id, version_id);

alter table constraint_members add column version_id bigint;
update constraint_members m set version_id = c.version_id from placement_constraints c where c.id = m.constraint_id;
alter table constraint_members
    alter column version_id set not null,
    drop constraint constraint_members_constraint_id_fkey,
    drop constraint constraint_members_component_id_fkey,
    add constraint constraint_members_constraint_fkey foreign key (constraint_id, version_id)
        references placement_constraints (id, version_id) on delete cascade,
    add constraint constraint_members_component_fkey foreign key (version_id, component_id)
        references components (version_id, id) on delete cascade;

-- ---------------------------------------------------------------------------------------------
-- Plans: a group's members are components of the plan's version, each in one group of the plan; an
-- assignment's group belongs to the assignment's plan.
-- ---------------------------------------------------------------------------------------------
alter table plans add constraint plans_id_version_key unique (id, version_id);
alter table plan_groups add constraint plan_groups_id_plan_key unique (id, plan_id);

alter table plan_group_members add column plan_id bigint, add column version_id bigint;
update plan_group_members m set plan_id = g.plan_id, version_id = p.version_id
    from plan_groups g join plans p on p.id = g.plan_id
    where g.id = m.group_id;
alter table plan_group_members
    alter column plan_id set not null,
    alter column version_id set not null,
    drop constraint plan_group_members_group_id_fkey,
    drop constraint plan_group_members_component_id_fkey,
    add constraint plan_group_members_group_fkey foreign key (group_id, plan_id)
        references plan_groups (id, plan_id) on delete cascade,
    add constraint plan_group_members_plan_fkey foreign key (plan_id, version_id)
        references plans (id, version_id) on delete cascade,
    add constraint plan_group_members_component_fkey foreign key (version_id, component_id)
        references components (version_id, id) on delete cascade,
    -- a plan partitions its version's components into groups; this also indexes plan_id
    add constraint plan_group_members_plan_component_key unique (plan_id, component_id);
-- deleting a version's components looks up the groups that name them
create index plan_group_members_component_idx on plan_group_members (component_id);

alter table assignments
    drop constraint assignments_group_id_fkey,
    add constraint assignments_group_fkey foreign key (group_id, plan_id)
        references plan_groups (id, plan_id) on delete cascade;

-- ---------------------------------------------------------------------------------------------
-- Traffic splits and rollouts: only versions of their own application.
-- ---------------------------------------------------------------------------------------------
alter table versions add constraint versions_application_id_id_key unique (application_id, id);

alter table traffic_splits
    drop constraint traffic_splits_version_id_fkey,
    add constraint traffic_splits_version_fkey foreign key (application_id, version_id)
        references versions (application_id, id) on delete restrict;

-- A null from_version_id (a first rollout) is not checked: foreign keys match simple.
alter table rollouts
    drop constraint rollouts_from_version_id_fkey,
    drop constraint rollouts_to_version_id_fkey,
    add constraint rollouts_from_version_fkey foreign key (application_id, from_version_id)
        references versions (application_id, id) on delete restrict,
    add constraint rollouts_to_version_fkey foreign key (application_id, to_version_id)
        references versions (application_id, id) on delete restrict;
-- rollouts_one_active_idx (V1) is partial: deleting an application or a version must find every rollout
create index rollouts_application_idx on rollouts (application_id);
create index rollouts_from_version_idx on rollouts (from_version_id);
create index rollouts_to_version_idx on rollouts (to_version_id);

-- ---------------------------------------------------------------------------------------------
-- events_newest_idx (id desc) repeats the primary key's index, which PostgreSQL scans backwards just
-- as well; it only cost a second write per event.
-- ---------------------------------------------------------------------------------------------
drop index events_newest_idx;
