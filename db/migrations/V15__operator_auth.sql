-- Operators authenticate to the REST API and the dashboard (issue 14): API tokens, of which only a SHA-256 of
-- the secret is kept, each with a role, an expiry and a revocation; password accounts for the dashboard, of which
-- only a bcrypt hash is kept; and the audit log names who did each action.

create table api_tokens (
    id             bigint       generated always as identity primary key,
    name           varchar(63)  not null,
    role           varchar(16)  not null check (role in ('viewer', 'operator', 'admin')),
    -- SHA-256 of the whole token ("weft_" and the secret); a token is looked up by it on every request
    secret_sha256  bytea        not null unique check (octet_length(secret_sha256) = 32),
    -- the first characters of the token, so an operator can tell tokens apart without the secret
    hint           varchar(16)  not null,
    created_at     timestamptz  not null,
    created_by     varchar(128) not null,
    expires_at     timestamptz  not null,
    revoked_at     timestamptz,
    revoked_by     varchar(128),
    last_used_at   timestamptz,
    check (expires_at > created_at),
    check ((revoked_at is null) = (revoked_by is null))
);
-- a name identifies one live token (the audit log records it); a revoked token's name may be used again
create unique index api_tokens_live_name_idx on api_tokens (name) where revoked_at is null;

create table operator_accounts (
    name           varchar(63)  primary key,
    role           varchar(16)  not null check (role in ('viewer', 'operator', 'admin')),
    -- Spring Security's encoded form, "{bcrypt}$2a$10$..."
    password_hash  varchar(255) not null,
    created_at     timestamptz  not null,
    created_by     varchar(128) not null
);

-- Events written before this migration were made by anyone who could reach the port: their actor is unknown.
-- From now on every insert names one (the principal, or "system" for the control plane's own actions).
alter table events add column actor varchar(128) not null default 'unknown';
alter table events alter column actor set default 'system';
