-- A message's status row is updated after its insert (first level, then the receipt); room on
-- the page lets those be HOT updates (no index writes: the updated columns are not indexed).
-- Applies to pages written from now on.
ALTER TABLE "status"."message_status" SET (fillfactor = 70);
