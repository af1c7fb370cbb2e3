CREATE TABLE "status"."part_status" (
	"message_id" uuid NOT NULL,
	"part" smallint NOT NULL,
	"delivered_status" integer NOT NULL,
	"receipt_stat" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "part_status_message_id_part_pk" PRIMARY KEY("message_id","part")
);
