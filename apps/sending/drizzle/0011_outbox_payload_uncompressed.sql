-- An outbox row carries a packed batch of events (up to 512 KiB) for a few milliseconds, until
-- the relay publishes and deletes it. Postgres compressed every such payload (pglz, about 5 %
-- of its CPU in bench:e2e) and decompressed it for the relay: out of line, uncompressed, it is
-- written and read as it is.
ALTER TABLE "sending"."outbox" ALTER COLUMN "payload" SET STORAGE EXTERNAL;
