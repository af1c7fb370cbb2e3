-- status_history is written twice per message and read by message id only (an SRE reading one
-- message's story): its serial key's own index and the (message_id, at) index were two index
-- inserts per row. One key, (message_id, id), serves that read and keeps rows unique.
ALTER TABLE "status"."status_history" DROP CONSTRAINT "status_history_pkey";--> statement-breakpoint
DROP INDEX "status"."status_history_message_idx";--> statement-breakpoint
ALTER TABLE "status"."status_history" ADD CONSTRAINT "status_history_pkey" PRIMARY KEY("message_id","id");
