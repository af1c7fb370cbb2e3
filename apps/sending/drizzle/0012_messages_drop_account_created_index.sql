-- Nothing reads messages by account and creation time: lists and reports by account and period
-- read status tracking's message_status. The index cost a btree insert for every accepted
-- message and every non-HOT update of one, and on an empty table it tied with
-- messages_idempotency_uq for SendSms's idempotency probe, so a plan made then could walk all
-- of an account's messages for each send.
DROP INDEX "sending"."messages_account_created_idx";