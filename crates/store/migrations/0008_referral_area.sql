-- The area a referral concerns (where the victim lives or the crime
-- happened), recorded as the sender gives it, beside the service it is
-- routed to.

ALTER TABLE referrals ADD COLUMN area_id TEXT REFERENCES areas (id);
