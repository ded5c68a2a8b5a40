-- Sign-in state shared by every replica: revoked tokens, OAuth requests in flight, and the
-- one-time codes that hand an OAuth sign-in to the web client.

-- Access tokens signed out before they expire. An entry is useless once the token has
-- expired by itself, and is pruned then.
create table revoked_tokens (
    jti        varchar(64) primary key,
    expires_at timestamptz not null
);

create index revoked_tokens_expires_idx on revoked_tokens (expires_at);

-- OAuth authorization requests between the redirect to the provider and its callback,
-- found again by their state (with the PKCE verifier and nonce they carry).
create table oauth_authorization_requests (
    state      varchar(255) primary key,
    provider   varchar(16)  not null,
    request    jsonb        not null,
    expires_at timestamptz  not null
);

create index oauth_authorization_requests_expires_idx on oauth_authorization_requests (expires_at);

-- One-time handoff codes, stored as the hex SHA-256 of the code.
create table oauth_handoff_codes (
    code_hash  varchar(64) primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    expires_at timestamptz not null
);

create index oauth_handoff_codes_expires_idx on oauth_handoff_codes (expires_at);
