-- Receipts are matched through message_parts (its own carrier id index); this one only cost
-- every insert and every update of a message an index entry.
DROP INDEX "sending"."messages_carrier_id_uq";