-- An event's payload and metadata are kept as the JSON text the store wrote (json) instead of
-- parsed into jsonb. No query looks inside them; every read of the feed, though, had
-- PostgreSQL turn jsonb back into text, which cost four to seven times the rest of handing
-- out a row (docs/performance.md). json still refuses text that is not JSON, and an event's
-- hash covers the canonical form of its documents (store/src/hash.rs), not their spelling,
-- so every chain verifies as before.
ALTER TABLE events
    ALTER COLUMN payload TYPE json USING payload::json,
    ALTER COLUMN metadata TYPE json USING metadata::json;
