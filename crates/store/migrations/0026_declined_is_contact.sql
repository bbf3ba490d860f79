-- A victim reached who declined support was contacted (docs/victims-code.md).
-- Referrals whose first reaching was recorded as "declined" before that
-- rule took their first contact date from the earliest such attempt.
-- Attempts are stored as UTC instants; their first ten characters are the
-- UK date except for an attempt made between midnight and one in the
-- morning in summer time, which reads as the day before.
UPDATE referrals SET first_contact_on = (
    SELECT MIN(SUBSTR(a.attempted_at, 1, 10)) FROM contact_attempts a
    WHERE a.referral_id = referrals.id AND a.result = 'declined')
WHERE first_contact_on IS NULL
  AND EXISTS (SELECT 1 FROM contact_attempts a
      WHERE a.referral_id = referrals.id AND a.result = 'declined');
