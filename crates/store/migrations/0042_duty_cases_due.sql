-- The home page asks, across every rota, which cases opened on duty are
-- past their handover time and not yet handed over: one read by this index.
CREATE INDEX duty_cases_due ON duty_cases (handed_over_at, hand_over_by);
