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
ALTER TABLE "sending"."messages" ADD COLUMN "refusal_reason" text;