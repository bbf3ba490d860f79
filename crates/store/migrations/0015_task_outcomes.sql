-- A task ends done or cancelled (closing a case ends its open tasks one way
-- or the other). Both set done_at, so an ended task is never "open".
ALTER TABLE tasks ADD COLUMN outcome TEXT;
