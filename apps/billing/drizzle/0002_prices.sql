CREATE TABLE "billing"."prices" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"channel" text NOT NULL,
	"country" text NOT NULL,
	"carrier" text NOT NULL,
	"currency" text NOT NULL,
	"unit_price" bigint NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "price_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "prices_version_uq" ON "billing"."prices" USING btree ("account_id","channel","country","carrier","currency","effective_from");--> statement-breakpoint
CREATE INDEX "prices_account_idx" ON "billing"."prices" USING btree ("account_id","channel");