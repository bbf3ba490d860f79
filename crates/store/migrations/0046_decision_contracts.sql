-- A decision that changes a contract's value a year names the contract
-- and the new value; its approval sets the value in the same transaction.
ALTER TABLE decisions ADD COLUMN contract_id TEXT REFERENCES contracts (id);
ALTER TABLE decisions ADD COLUMN contract_annual_pence BIGINT;
CREATE INDEX decisions_contract ON decisions (contract_id);
