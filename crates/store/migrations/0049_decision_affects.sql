-- The contracts and programmes a decision affects (docs/commissioning.md#decisions),
-- in the order typed: each line names one or the other.
CREATE TABLE decision_affects (
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    position INTEGER NOT NULL,
    contract_id TEXT REFERENCES contracts (id),
    programme_id TEXT REFERENCES programmes (id),
    PRIMARY KEY (decision_id, position)
);

CREATE INDEX decision_affects_programme ON decision_affects (programme_id);
