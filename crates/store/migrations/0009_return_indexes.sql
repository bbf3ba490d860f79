-- The MoJ return counts a period's referrals, cases and answers at exit.

-- Each person is counted once however many cases they have, without
-- collecting their ids: a case knows when the same person's previous case
-- opened, and when their next closure came, so "the first case in the
-- period" and "the last closure in the period" are conditions on one row.
-- Kept by the application whenever a case opens or closes.
ALTER TABLE cases ADD COLUMN previous_opened_on TEXT;
ALTER TABLE cases ADD COLUMN next_closed_on TEXT;
-- What the return needs of a case's referral, which never changes once
-- received, kept beside the case so counting cases reads cases alone.
ALTER TABLE cases ADD COLUMN referral_received_on TEXT;
ALTER TABLE cases ADD COLUMN enhanced INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET
    referral_received_on = (SELECT r.received_on FROM referrals r WHERE r.id = cases.referral_id),
    enhanced = (SELECT r.enhanced FROM referrals r WHERE r.id = cases.referral_id);
CREATE INDEX cases_person ON cases (person_id, opened_on, closed_on, id);
UPDATE cases SET previous_opened_on = (
    SELECT MAX(c2.opened_on) FROM cases c2
    WHERE c2.person_id = cases.person_id AND c2.id <> cases.id
      AND (c2.opened_on < cases.opened_on OR (c2.opened_on = cases.opened_on AND c2.id < cases.id)));
UPDATE cases SET next_closed_on = (
    SELECT MIN(c2.closed_on) FROM cases c2
    WHERE c2.person_id = cases.person_id AND c2.id <> cases.id AND c2.closed_on IS NOT NULL
      AND (c2.closed_on > cases.closed_on OR (c2.closed_on = cases.closed_on AND c2.id > cases.id)))
WHERE closed_on IS NOT NULL;

-- Answers at exit carry their case's service and closing days (fixed once
-- the case closes, which is when answers are recorded), so they are counted
-- from one index without visiting each case.
ALTER TABLE case_outcomes ADD COLUMN service_id TEXT;
ALTER TABLE case_outcomes ADD COLUMN closed_on TEXT;
ALTER TABLE case_outcomes ADD COLUMN next_closed_on TEXT;
UPDATE case_outcomes SET
    service_id = (SELECT k.service_id FROM cases k WHERE k.id = case_outcomes.case_id),
    closed_on = (SELECT k.closed_on FROM cases k WHERE k.id = case_outcomes.case_id),
    next_closed_on = (SELECT k.next_closed_on FROM cases k WHERE k.id = case_outcomes.case_id);

-- Indexes holding every column the return's queries read, so each walks
-- one index range instead of looking up every row in its table.
DROP INDEX referrals_service_received;
CREATE INDEX referrals_return ON referrals (service_id, received_on, source, crime_type,
    first_contact_on, passed_due_on, information_due_on, contact_due_on, person_id);

DROP INDEX cases_service_opened;
CREATE INDEX cases_return_opened ON cases (service_id, opened_on, previous_opened_on, person_id,
    referral_received_on, enhanced);

CREATE INDEX people_return ON people (id, gender, ethnicity, disability, sexual_orientation,
    religion, date_of_birth);
CREATE INDEX case_outcomes_return ON case_outcomes (service_id, closed_on, next_closed_on,
    measure, result);
