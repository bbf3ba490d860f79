-- Search by name uses each name on its own, lower-cased with letters and
-- digits only, so every search is an index lookup on both engines.

ALTER TABLE people ADD COLUMN given_key TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN family_key TEXT NOT NULL DEFAULT '';
UPDATE people SET given_key = LOWER(REPLACE(REPLACE(REPLACE(given_name, ' ', ''), '-', ''), '''', '')),
    family_key = LOWER(REPLACE(REPLACE(REPLACE(family_name, ' ', ''), '-', ''), '''', ''));
CREATE INDEX people_service_family ON people (service_id, family_key);
CREATE INDEX people_service_given ON people (service_id, given_key);
CREATE INDEX people_service_dob ON people (service_id, date_of_birth);
CREATE INDEX people_service_phone ON people (service_id, phone_key);
CREATE INDEX people_service_postcode ON people (service_id, postcode_key);
