CREATE TABLE "sending"."replies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"carrier" text NOT NULL,
	"from" text NOT NULL,
	"to" text NOT NULL,
	"text" text NOT NULL,
	"message_id" uuid,
	"account_id" text DEFAULT '' NOT NULL,
	"subaccount_id" text DEFAULT '' NOT NULL,
	"action" text DEFAULT '' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sending"."customer_settings" ADD COLUMN "mo_url" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sending"."customer_settings" ADD COLUMN "opt_out_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "sending"."customer_settings" ADD COLUMN "opt_in_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "replies_account_idx" ON "sending"."replies" USING btree ("account_id","received_at");--> statement-breakpoint
CREATE INDEX "messages_to_created_idx" ON "sending"."messages" USING btree ("to","created_at");