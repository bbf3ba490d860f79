-- The manager's dashboard and the referral list, bounded by indexes rather
-- than reading every row of a service.

-- Referrals awaiting first contact, by their information deadline: the
-- dashboard's "overdue" and "due today" counts read only these entries, from
-- the index alone.
CREATE INDEX referrals_awaiting_contact
    ON referrals (service_id, status, first_contact_on, information_due_on);

-- The referral list's other orders within its scope: every status by
-- deadline or by arrival, and one status by reference.
CREATE INDEX referrals_service_due_all ON referrals (service_id, information_due_on, id);
CREATE INDEX referrals_service_received_all ON referrals (service_id, received_at, id);
CREATE INDEX referrals_service_status_reference ON referrals (service_id, status, reference, id);

-- Open cases per caseworker, and cases open at each week's end, counted from
-- the index alone (the visibility rule reads the caseworker and restriction).
CREATE INDEX cases_service_status_worker ON cases (service_id, status, caseworker_id, restricted);
CREATE INDEX cases_service_span ON cases (service_id, opened_on, closed_on, caseworker_id, restricted);
