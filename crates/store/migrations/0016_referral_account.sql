-- What happened, in the words of the victim or the referrer, taken with the referral.
ALTER TABLE referrals ADD COLUMN account TEXT;
