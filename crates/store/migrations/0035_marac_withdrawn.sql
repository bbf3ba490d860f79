-- A referral to a MARAC withdrawn before its meeting, with the reason
-- (docs/marac.md#withdrawing-a-referral). Its status becomes 'withdrawn'.
ALTER TABLE marac_referrals ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
