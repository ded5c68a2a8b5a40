-- Per-account sign-in backoff (SECURITY.md "Sign-in limits"): consecutive failed password
-- sign-ins per identifier (username or email, as typed, lower-cased), kept as a SHA-256 so the
-- table holds no names. A row exists only while failures are remembered; a success deletes it.
create table sign_in_failures (
    identifier_hash varchar(64) primary key,
    failures        integer     not null,
    last_failure_at timestamptz not null,
    locked_until    timestamptz
);

create index sign_in_failures_last_failure_idx on sign_in_failures (last_failure_at);

-- Whether the account's email was proven by a provider (GitHub's verified address, Google's
-- email_verified). A local registration's email is a claim nobody checked: it no longer keeps
-- the provider-verified owner of the address out (SECURITY.md "Emails"), so it may be released,
-- which leaves the local account without an email.
alter table users add column email_verified boolean not null default false;
update users set email_verified = true where auth_provider <> 'local';
alter table users alter column email drop not null;
