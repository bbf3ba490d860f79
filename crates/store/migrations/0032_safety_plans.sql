-- Safety plans on cases (docs/risk.md#safety-plans). Each save is a new
-- version; earlier versions are kept as they were.
CREATE TABLE safety_plans (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    version INTEGER NOT NULL,
    risks TEXT NOT NULL DEFAULT '',
    safety_measures TEXT NOT NULL DEFAULT '',
    actions TEXT NOT NULL DEFAULT '',
    safe_places TEXT NOT NULL DEFAULT '',
    emergency_plan TEXT NOT NULL DEFAULT '',
    code_word TEXT NOT NULL DEFAULT '',
    review_on TEXT NOT NULL,
    -- The latest risk assessment when it was saved, if any.
    assessment_id TEXT REFERENCES risk_assessments (id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (case_id, version)
);
