-- Rate-limit token buckets shared by every replica. One row per (scope, key), e.g.
-- ('auth-login', 'ip:203.0.113.7') or ('chat-send', 'user:42'); updated by one atomic upsert
-- per request. Rows idle for longer than a window are full buckets and are pruned.
create table rate_limit_buckets (
    scope        varchar(32)      not null,
    bucket_key   varchar(128)     not null,
    tokens       double precision not null,
    updated_at   timestamptz      not null,
    -- whether the latest request took a token (the upsert's answer)
    last_allowed boolean          not null,
    primary key (scope, bucket_key)
);

create index rate_limit_buckets_updated_idx on rate_limit_buckets (updated_at);
