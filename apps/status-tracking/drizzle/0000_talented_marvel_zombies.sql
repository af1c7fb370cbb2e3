CREATE SCHEMA "status";
--> statement-breakpoint
CREATE TABLE "status"."message_status" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"parts" smallint DEFAULT 1 NOT NULL,
	"carrier" text DEFAULT '' NOT NULL,
	"carrier_message_id" text DEFAULT '' NOT NULL,
	"correlation_id" text DEFAULT '' NOT NULL,
	"sent_status" integer,
	"sent_at" timestamp with time zone,
	"delivered_status" integer,
	"delivered_at" timestamp with time zone,
	"receipt_stat" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "status"."status_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"account_id" text NOT NULL,
	"level" smallint NOT NULL,
	"code" integer NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "message_status_account_idx" ON "status"."message_status" USING btree ("account_id","sent_at");--> statement-breakpoint
CREATE INDEX "outbox_created_at_idx" ON "status"."outbox" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "status_history_message_idx" ON "status"."status_history" USING btree ("message_id","at");