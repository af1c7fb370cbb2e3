CREATE TABLE "billing"."credit_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"invoice_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"transfer_id" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing"."invoice_counters" (
	"issuer" text PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing"."invoice_lines" (
	"invoice_id" text NOT NULL,
	"subaccount_id" text NOT NULL,
	"channel" text NOT NULL,
	"country" text NOT NULL,
	"parts" bigint NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "invoice_lines_invoice_id_subaccount_id_channel_country_pk" PRIMARY KEY("invoice_id","subaccount_id","channel","country")
);
--> statement-breakpoint
CREATE TABLE "billing"."invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"number" integer,
	"tenant_id" text NOT NULL,
	"period" text NOT NULL,
	"kind" text NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"total" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finalized_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "subaccount_id" text;--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "billing"."transfers" ADD COLUMN "country" text;--> statement-breakpoint
CREATE INDEX "credit_notes_invoice_idx" ON "billing"."credit_notes" USING btree ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_period_uq" ON "billing"."invoices" USING btree ("tenant_id","period","currency");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_uq" ON "billing"."invoices" USING btree ("issuer","number");--> statement-breakpoint
CREATE INDEX "invoices_tenant_idx" ON "billing"."invoices" USING btree ("tenant_id","period");--> statement-breakpoint
-- A finalized invoice and its lines never change (corrections are credit notes): enforced here,
-- so no code path, however buggy, can edit one.
CREATE FUNCTION "billing"."refuse_finalized_invoice_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'finalized' THEN
    RAISE EXCEPTION 'invoice % is finalized: correct it with a credit note', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;--> statement-breakpoint
CREATE TRIGGER "invoices_finalized_immutable" BEFORE UPDATE OR DELETE ON "billing"."invoices"
  FOR EACH ROW EXECUTE FUNCTION "billing"."refuse_finalized_invoice_change"();--> statement-breakpoint
CREATE FUNCTION "billing"."refuse_finalized_line_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "billing"."invoices" WHERE id = COALESCE(NEW.invoice_id, OLD.invoice_id) AND status = 'finalized') THEN
    RAISE EXCEPTION 'invoice % is finalized: its lines cannot change', COALESCE(NEW.invoice_id, OLD.invoice_id) USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;--> statement-breakpoint
CREATE TRIGGER "invoice_lines_finalized_immutable" BEFORE INSERT OR UPDATE OR DELETE ON "billing"."invoice_lines"
  FOR EACH ROW EXECUTE FUNCTION "billing"."refuse_finalized_line_change"();
