CREATE TABLE "status"."callback_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"callback_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"http_status" integer NOT NULL,
	"error" text DEFAULT '' NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status"."callbacks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"url" text NOT NULL,
	"payload" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "status"."disabled_endpoints" (
	"account_id" text NOT NULL,
	"url" text NOT NULL,
	"disabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disabled_endpoints_account_id_url_pk" PRIMARY KEY("account_id","url")
);
--> statement-breakpoint
CREATE TABLE "status"."webhook_secrets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "status"."message_status" ADD COLUMN "callback_url" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "status"."message_status" ADD COLUMN "to" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "callback_attempts_callback_idx" ON "status"."callback_attempts" USING btree ("callback_id","at");--> statement-breakpoint
CREATE INDEX "callbacks_due_idx" ON "status"."callbacks" USING btree ("next_attempt_at") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "callbacks_message_idx" ON "status"."callbacks" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "webhook_secrets_subaccount_idx" ON "status"."webhook_secrets" USING btree ("account_id","subaccount_id","created_at");