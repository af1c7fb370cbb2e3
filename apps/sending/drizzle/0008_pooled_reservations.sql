CREATE TABLE "sending"."pooled_reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "pooled_reservations_created_idx" ON "sending"."pooled_reservations" USING btree ("created_at");