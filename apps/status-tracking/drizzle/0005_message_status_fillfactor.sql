-- A message's status row is updated after its insert (first level, then the receipt); room on
-- the page lets those be HOT updates (no index writes) when no indexed column changes: the
-- receipt's update always qualifies, the first level's only when it created the row (sent_at
-- is indexed). Applies to pages written from now on.
ALTER TABLE "status"."message_status" SET (fillfactor = 70);
