CREATE TABLE "sending"."concat_references" (
	"destination" text PRIMARY KEY NOT NULL,
	"last_reference" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sending"."message_parts" (
	"message_id" uuid NOT NULL,
	"part" smallint NOT NULL,
	"carrier" text NOT NULL,
	"carrier_message_id" text,
	"sent_status" integer NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_parts_message_id_part_pk" PRIMARY KEY("message_id","part")
);
--> statement-breakpoint
CREATE TABLE "sending"."ported_numbers" (
	"number" text PRIMARY KEY NOT NULL,
	"carrier" text NOT NULL,
	"ported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Postgres named the old single-column key; drizzle-kit cannot know it.
ALTER TABLE "sending"."early_receipts" DROP CONSTRAINT "early_receipts_pkey";--> statement-breakpoint
ALTER TABLE "sending"."early_receipts" ADD CONSTRAINT "early_receipts_carrier_carrier_message_id_pk" PRIMARY KEY("carrier","carrier_message_id");--> statement-breakpoint
ALTER TABLE "sending"."messages" ADD COLUMN "concat_reference" smallint;--> statement-breakpoint
CREATE UNIQUE INDEX "message_parts_carrier_id_uq" ON "sending"."message_parts" USING btree ("carrier","carrier_message_id");