-- Requests a minute an API token may make; NULL: the server's default.
ALTER TABLE api_tokens ADD COLUMN rate_per_minute BIGINT;
