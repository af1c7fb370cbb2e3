ALTER TABLE "sending"."early_receipts" DROP CONSTRAINT "early_receipts_carrier_carrier_message_id_pk";--> statement-breakpoint
ALTER TABLE "sending"."early_receipts" ADD COLUMN "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
CREATE INDEX "early_receipts_carrier_id_idx" ON "sending"."early_receipts" USING btree ("carrier","carrier_message_id");