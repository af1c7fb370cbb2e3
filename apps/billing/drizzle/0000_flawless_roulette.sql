CREATE SCHEMA "billing";
--> statement-breakpoint
CREATE TABLE "billing"."accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"currency" text NOT NULL,
	"debits_pending" bigint DEFAULT 0 NOT NULL,
	"debits_posted" bigint DEFAULT 0 NOT NULL,
	"credits_pending" bigint DEFAULT 0 NOT NULL,
	"credits_posted" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prepaid_never_negative" CHECK ("billing"."accounts"."kind" <> 'customer_prepaid' or "billing"."accounts"."debits_pending" + "billing"."accounts"."debits_posted" <= "billing"."accounts"."credits_posted"),
	CONSTRAINT "sums_not_negative" CHECK ("billing"."accounts"."debits_pending" >= 0 and "billing"."accounts"."debits_posted" >= 0 and "billing"."accounts"."credits_pending" >= 0 and "billing"."accounts"."credits_posted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "billing"."transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"debit_account_id" text NOT NULL,
	"credit_account_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"kind" text NOT NULL,
	"pending_id" text,
	"message_id" text,
	"part" integer,
	"timeout_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "outbox_created_at_idx" ON "billing"."outbox" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "transfers_message_idx" ON "billing"."transfers" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "transfers_tenant_idx" ON "billing"."transfers" USING btree ("tenant_id","created_at");