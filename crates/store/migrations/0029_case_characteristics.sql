-- The return counts victims supported by their characteristics and their
-- age when referred. Looking up each case's person for them was most of
-- the return's time (one index lookup per case opened in the period), so
-- each case keeps a copy, kept in step when the person is corrected or
-- merged and when the referral's received date is corrected.
ALTER TABLE cases ADD COLUMN gender TEXT NOT NULL DEFAULT 'not_known';
ALTER TABLE cases ADD COLUMN ethnicity TEXT NOT NULL DEFAULT 'not_known';
ALTER TABLE cases ADD COLUMN disability TEXT NOT NULL DEFAULT 'not_known';
ALTER TABLE cases ADD COLUMN sexual_orientation TEXT NOT NULL DEFAULT 'not_known';
ALTER TABLE cases ADD COLUMN religion TEXT NOT NULL DEFAULT 'not_known';
-- Whole years on the day the case's referral was received; none when the
-- date of birth is not known.
ALTER TABLE cases ADD COLUMN age_at_referral INTEGER;
UPDATE cases SET (gender, ethnicity, disability, sexual_orientation, religion, age_at_referral) = (
    SELECT p.gender, p.ethnicity, p.disability, p.sexual_orientation, p.religion,
        CASE WHEN p.date_of_birth IS NULL OR cases.referral_received_on IS NULL THEN NULL ELSE
            CAST(SUBSTR(cases.referral_received_on, 1, 4) AS INTEGER) - CAST(SUBSTR(p.date_of_birth, 1, 4) AS INTEGER)
            - CASE WHEN SUBSTR(cases.referral_received_on, 6, 5) < SUBSTR(p.date_of_birth, 6, 5) THEN 1 ELSE 0 END
        END
    FROM people p WHERE p.id = cases.person_id);
DROP INDEX cases_return_opened;
CREATE INDEX cases_return_opened ON cases (service_id, opened_on, previous_opened_on, person_id,
    referral_received_on, enhanced, tailored, gender, ethnicity, disability, sexual_orientation,
    religion, age_at_referral);
