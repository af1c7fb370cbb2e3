DROP INDEX "status"."callbacks_message_idx";--> statement-breakpoint
CREATE INDEX "callbacks_message_id_idx" ON "status"."callbacks" USING btree ("message_id","id");--> statement-breakpoint
CREATE INDEX "callbacks_waiting_idx" ON "status"."callbacks" USING btree ("message_id","id") WHERE state = 'waiting';