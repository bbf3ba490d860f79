-- The MoJ return counts a period's referrals, cases and answers at exit.
-- These indexes hold every column its queries read, so each query walks
-- one index range instead of looking up every row in its table.

DROP INDEX referrals_service_received;
CREATE INDEX referrals_return ON referrals (service_id, received_on, source, crime_type,
    first_contact_on, passed_due_on, information_due_on, contact_due_on, person_id);
CREATE INDEX referrals_return_enhanced ON referrals (id, enhanced, received_on);

DROP INDEX cases_service_opened;
CREATE INDEX cases_return_opened ON cases (service_id, opened_on, person_id, referral_id);
DROP INDEX cases_service_closed;
CREATE INDEX cases_return_closed ON cases (service_id, closed_on, person_id, id);

CREATE INDEX people_return ON people (id, gender, ethnicity, disability, sexual_orientation,
    religion, date_of_birth);
CREATE INDEX case_outcomes_return ON case_outcomes (case_id, measure, result);
