ALTER TABLE "status"."callbacks" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "status"."callbacks" ADD COLUMN "last_http_status" integer;--> statement-breakpoint
ALTER TABLE "status"."callbacks" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "status"."callbacks" ADD COLUMN "last_duration_ms" integer;