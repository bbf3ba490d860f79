-- A risk assessment recorded in error is withdrawn, never deleted: it stays
-- in the case's history with who withdrew it, when and why, and no longer
-- sets the case's current risk or counts in the figures (docs/risk.md).
ALTER TABLE risk_assessments ADD COLUMN withdrawn_at TEXT;
ALTER TABLE risk_assessments ADD COLUMN withdrawn_by TEXT;
ALTER TABLE risk_assessments ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
