-- The history's key names the event each row came from, so the receipt consumer finds a
-- redelivered event's rows there instead of writing a processed_events row per receipt.
-- Rows from before get a random event id.
ALTER TABLE "status"."status_history" ADD COLUMN "event_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "status"."status_history" ADD COLUMN "seq" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "status"."status_history" DROP CONSTRAINT "status_history_pkey";
--> statement-breakpoint
ALTER TABLE "status"."status_history" ADD CONSTRAINT "status_history_pkey" PRIMARY KEY("message_id","event_id","seq");