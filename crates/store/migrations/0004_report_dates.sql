-- Dates in UK local time for counting by period: the day a referral was
-- received, and the days a case opened and closed. Instants stay as they
-- were; these are set by the application beside them.

ALTER TABLE referrals ADD COLUMN received_on TEXT;
UPDATE referrals SET received_on = SUBSTR(received_at, 1, 10);
CREATE INDEX referrals_service_received ON referrals (service_id, received_on);

ALTER TABLE cases ADD COLUMN opened_on TEXT;
ALTER TABLE cases ADD COLUMN closed_on TEXT;
UPDATE cases SET opened_on = SUBSTR(opened_at, 1, 10);
UPDATE cases SET closed_on = SUBSTR(closed_at, 1, 10) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_service_opened ON cases (service_id, opened_on);
CREATE INDEX cases_service_closed ON cases (service_id, closed_on);
