-- Every replica keeps the token state (revoked token ids, each account's token version and
-- role) in memory and listens on the channel "ragchat_token_state" for changes (OPERATIONS.md
-- "Token state cache"). The triggers send the notification in the transaction of the change,
-- whoever makes it (the application, an operator in psql, a migration): PostgreSQL delivers it
-- at commit and never after a rollback.
--   u:<user id>   the account was added or deleted, or its role, token version or name changed
--   r:<jti>       a token was signed out
--   *             forget everything (a table was truncated)

create function ragchat_notify_token_state() returns trigger
    language plpgsql as
$$
begin
    if tg_level = 'STATEMENT' then
        perform pg_notify('ragchat_token_state', '*');
    elsif tg_table_name = 'revoked_tokens' then
        perform pg_notify('ragchat_token_state', 'r:' || new.jti);
    elsif tg_op = 'INSERT' then
        perform pg_notify('ragchat_token_state', 'u:' || new.id);
    else
        perform pg_notify('ragchat_token_state', 'u:' || old.id);
    end if;
    return null;
end;
$$;

create trigger users_token_state_changed
    after update of role, token_version, username on users
    for each row
    when (old.role is distinct from new.role or old.token_version is distinct from new.token_version
          or old.username is distinct from new.username)
    execute function ragchat_notify_token_state();

-- Ids are never reused, but a row put back by hand must not stay "unknown" in a cache.
create trigger users_token_state_added
    after insert on users
    for each row execute function ragchat_notify_token_state();

create trigger users_token_state_deleted
    after delete on users
    for each row execute function ragchat_notify_token_state();

create trigger users_token_state_truncated
    after truncate on users
    for each statement execute function ragchat_notify_token_state();

create trigger revoked_tokens_token_state_added
    after insert on revoked_tokens
    for each row execute function ragchat_notify_token_state();

create trigger revoked_tokens_token_state_truncated
    after truncate on revoked_tokens
    for each statement execute function ragchat_notify_token_state();
