-- What a sender sent under its reference, as canonical JSON, so a resend
-- with different content is told apart from a repeat of the same.
ALTER TABLE referrals ADD COLUMN sender_content TEXT;
