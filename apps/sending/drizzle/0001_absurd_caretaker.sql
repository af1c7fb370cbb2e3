CREATE TABLE "sending"."batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sending"."blocked_numbers" (
	"account_id" text NOT NULL,
	"number" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blocked_numbers_account_id_number_pk" PRIMARY KEY("account_id","number")
);
--> statement-breakpoint
CREATE TABLE "sending"."customer_settings" (
	"account_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"allowed_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"forbidden_words" text[] DEFAULT '{}'::text[] NOT NULL,
	"accents_enabled" boolean NOT NULL,
	"max_chars" integer NOT NULL,
	"default_callback_url" text DEFAULT '' NOT NULL,
	"allow_national_numbers" boolean NOT NULL,
	"default_country" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "customer_settings_account_id_subaccount_id_pk" PRIMARY KEY("account_id","subaccount_id")
);
--> statement-breakpoint
CREATE TABLE "sending"."opt_outs" (
	"account_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"number" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opt_outs_account_id_subaccount_id_number_pk" PRIMARY KEY("account_id","subaccount_id","number")
);
--> statement-breakpoint
ALTER TABLE "sending"."messages" ADD COLUMN "refusal_reason" text;--> statement-breakpoint
ALTER TABLE "sending"."messages" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "sending"."messages" ADD COLUMN "batch_index" integer;--> statement-breakpoint
ALTER TABLE "sending"."messages" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "batches_idempotency_uq" ON "sending"."batches" USING btree ("account_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "messages_batch_idx" ON "sending"."messages" USING btree ("batch_id","batch_index");