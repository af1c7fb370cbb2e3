CREATE SCHEMA "sending";
--> statement-breakpoint
CREATE TABLE "sending"."early_receipts" (
	"carrier" text NOT NULL,
	"carrier_message_id" text PRIMARY KEY NOT NULL,
	"receipt" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sending"."messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"user_id" text NOT NULL,
	"to" text NOT NULL,
	"text" text NOT NULL,
	"encoding" text NOT NULL,
	"parts" smallint NOT NULL,
	"state" text NOT NULL,
	"sent_status" integer,
	"carrier" text,
	"carrier_message_id" text,
	"correlation_id" text DEFAULT '' NOT NULL,
	"callback_url" text DEFAULT '' NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"trace_id" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sending"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sending"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "messages_idempotency_uq" ON "sending"."messages" USING btree ("account_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_carrier_id_uq" ON "sending"."messages" USING btree ("carrier","carrier_message_id");--> statement-breakpoint
CREATE INDEX "messages_account_created_idx" ON "sending"."messages" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_created_at_idx" ON "sending"."outbox" USING btree ("created_at");