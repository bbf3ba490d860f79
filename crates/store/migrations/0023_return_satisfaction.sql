-- The return's satisfaction at closure (the national outcome "received the
-- support they needed"), counted from the index alone: cases closed in the
-- period, each person's last closure, and the answer.
CREATE INDEX cases_return_closed ON cases (service_id, closed_on, next_closed_on, satisfaction);
