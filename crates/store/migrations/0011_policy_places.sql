-- The places the policy reaches beyond organisations and services: regions
-- of commissioners' offices (several offices paying for a regional post),
-- grants over one team, over one's own caseload or over a region, and
-- restricted cases, seen only by their own worker and the service's managers.
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE organisations ADD COLUMN region_id TEXT REFERENCES regions (id);
ALTER TABLE role_grants ADD COLUMN team_id TEXT REFERENCES teams (id);
ALTER TABLE role_grants ADD COLUMN region_id TEXT REFERENCES regions (id);
ALTER TABLE role_grants ADD COLUMN own_caseload INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
