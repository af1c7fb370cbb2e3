-- Callbacks queued before 0003 are all 'pending', and the claim no longer checks their order:
-- every status callback behind an unfinished one of its message waits, as new ones do.
UPDATE "status"."callbacks" c SET state = 'waiting'
WHERE c.state = 'pending' AND c.type <> 'message.reply'
  AND EXISTS (SELECT 1 FROM "status"."callbacks" e
              WHERE e.message_id = c.message_id AND e.state = 'pending' AND e.type <> 'message.reply' AND e.id < c.id);
