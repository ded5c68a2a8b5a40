-- OAuth sign-ins are bound to the browser that started them (login CSRF): a handoff code
-- remembers the SHA-256 of that browser's binding cookie and is redeemed only with it.
-- Codes issued before this migration have none and can no longer be redeemed.
alter table oauth_handoff_codes add column browser_hash varchar(64);
