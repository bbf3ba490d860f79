-- Risk assessment as data (docs/risk.md). Templates a service imports are
-- kept whole, as the file was, by key and version; the shipped templates
-- are part of Waymark and are not stored here. A completed assessment keeps
-- the template version and the bands it was scored with.
CREATE TABLE risk_templates (
    template_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (template_key, version)
);

-- A service's own bands for a template, such as "standard 0, medium 10,
-- high 14", in place of the template's.
CREATE TABLE risk_bands (
    service_id TEXT NOT NULL REFERENCES services (id),
    template_key TEXT NOT NULL,
    bands TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (service_id, template_key)
);

CREATE TABLE risk_assessments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    template_key TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    template_name TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    assessor_id TEXT NOT NULL,
    -- The incident or change that prompted it.
    prompted_by TEXT NOT NULL,
    -- JSON objects: question id to answer code; text box id to its words.
    answers TEXT NOT NULL,
    texts TEXT NOT NULL,
    yes_count INTEGER NOT NULL,
    unanswered INTEGER NOT NULL,
    -- The level the answers give; none while incomplete below the top band.
    actuarial_level TEXT,
    judgement_level TEXT,
    judgement_reasons TEXT NOT NULL DEFAULT '',
    -- The level it ends at; none when incomplete without judgement.
    level TEXT,
    bands TEXT NOT NULL,
    review_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX risk_assessments_case ON risk_assessments (case_id, assessed_on, created_at);

-- The case's current risk, from its latest assessment, kept on the case so
-- lists show and sort by it: risk_order is '0' with no assessment,
-- '1' incomplete, then '2' standard, '3' medium, '4' high.
ALTER TABLE cases ADD COLUMN risk_level TEXT;
ALTER TABLE cases ADD COLUMN risk_order TEXT NOT NULL DEFAULT '0';
ALTER TABLE cases ADD COLUMN risk_review_on TEXT;
CREATE INDEX cases_service_status_risk ON cases (service_id, status, risk_order, id);
CREATE INDEX cases_caseworker_risk ON cases (caseworker_id, status, risk_order, id);
