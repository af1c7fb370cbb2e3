CREATE TABLE "billing"."incident_windows" (
	"incident_id" text PRIMARY KEY NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"carriers" text[] NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "carrier" text;--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "incident_id" text;