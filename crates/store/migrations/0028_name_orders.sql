-- Lists sorted by name read an index in that order, as lists sorted by a
-- date do, instead of sorting every referral or case they show: each
-- referral and case keeps its person's name as lists sort it (last name,
-- then first, lower case), kept in step when the person is corrected or
-- merged.
ALTER TABLE referrals ADD COLUMN name_order TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN name_order TEXT NOT NULL DEFAULT '';
UPDATE referrals SET name_order = (
    SELECT LOWER(p.family_name || ' ' || p.given_name) FROM people p WHERE p.id = referrals.person_id);
UPDATE cases SET name_order = (
    SELECT LOWER(p.family_name || ' ' || p.given_name) FROM people p WHERE p.id = cases.person_id);
CREATE INDEX referrals_service_status_name ON referrals (service_id, status, name_order, id);
CREATE INDEX referrals_service_name_all ON referrals (service_id, name_order, id);
CREATE INDEX cases_service_status_name ON cases (service_id, status, name_order, id);
CREATE INDEX cases_caseworker_name ON cases (caseworker_id, status, name_order, id);
