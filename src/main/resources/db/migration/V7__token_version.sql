-- Access tokens carry the account's token version ("ver" claim); changing the password
-- bumps it, so every token issued before the change stops working on every replica.
alter table users add column token_version integer not null default 0;
