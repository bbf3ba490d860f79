-- Whether a case has had tailored support (needs assessed, a support plan,
-- or support contacts), kept on the case as each is recorded, so the
-- return counts "information and signposting only" against "tailored
-- support" from its index alone instead of probing three tables per case.
-- Once tailored, a case stays so: none of the three is ever deleted.
ALTER TABLE cases ADD COLUMN tailored INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET tailored = 1
WHERE EXISTS (SELECT 1 FROM case_needs cn WHERE cn.case_id = cases.id)
   OR EXISTS (SELECT 1 FROM plan_items pi WHERE pi.case_id = cases.id)
   OR EXISTS (SELECT 1 FROM case_contacts cc WHERE cc.case_id = cases.id);
DROP INDEX cases_return_opened;
CREATE INDEX cases_return_opened ON cases (service_id, opened_on, previous_opened_on, person_id,
    referral_received_on, enhanced, tailored);
