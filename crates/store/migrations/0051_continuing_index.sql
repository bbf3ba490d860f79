-- Victims continuing into a period are read from cases still open or closed
-- in or after it, with when each opened and whose it is. With those columns
-- in the index, the return reads the index alone, not every case's row
-- (docs/adr/0023). It replaces the index on (service, closed) it extends.
DROP INDEX cases_service_closed;
CREATE INDEX cases_service_closed_opened ON cases (service_id, closed_on, opened_on, person_id);
