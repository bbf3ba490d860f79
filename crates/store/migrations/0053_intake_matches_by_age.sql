-- Recognising a person at intake reads, for each of their name, date of
-- birth and phone number, the service's oldest few people who share it.
-- With only (service, key) indexed, every person sharing the key was read
-- and sorted to find the oldest few: a date of birth used as a placeholder
-- (1 January 1980, say) by thousands made each referral with it cost tens
-- of milliseconds, and an import of many such rows slow in proportion to
-- their square. With when each was recorded in the index, the oldest few
-- are read in order and the rest never touched.
DROP INDEX people_service_name;
CREATE INDEX people_service_name ON people (service_id, name_key, created_at);
DROP INDEX people_service_dob;
CREATE INDEX people_service_dob ON people (service_id, date_of_birth, created_at);
DROP INDEX people_service_phone;
CREATE INDEX people_service_phone ON people (service_id, phone_key, created_at);
