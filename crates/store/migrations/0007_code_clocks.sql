-- Local lengths for the Victims' Code clocks, where a service area sets its
-- own (for example a shorter first-contact target). Clocks without a row
-- keep the Code's usual lengths.

CREATE TABLE code_clocks (
    code TEXT PRIMARY KEY,
    working_days BIGINT NOT NULL,
    enhanced_working_days BIGINT,
    updated_at TEXT NOT NULL
);
