CREATE TABLE "billing"."quotas" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"monthly_parts" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "quota_account_id" text;--> statement-breakpoint
ALTER TABLE "billing"."accounts" ADD CONSTRAINT "quota_never_exceeded" CHECK ("billing"."accounts"."kind" <> 'customer_quota' or "billing"."accounts"."debits_pending" + "billing"."accounts"."debits_posted" <= "billing"."accounts"."credits_posted");