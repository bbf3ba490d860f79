-- Lists page in the order people read them: a service's open cases by when
-- they opened, and its referrals by their information deadline.
CREATE INDEX cases_service_status_opened ON cases (service_id, status, opened_at, id);
CREATE INDEX referrals_service_status_due ON referrals (service_id, status, information_due_on, id);
