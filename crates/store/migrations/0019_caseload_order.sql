-- A caseworker's own cases, newest first: the default case list, served in
-- order from the index rather than sorted, however many they hold.
CREATE INDEX cases_caseworker_opened ON cases (caseworker_id, status, opened_at, id);
