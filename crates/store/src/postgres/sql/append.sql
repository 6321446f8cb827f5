-- Appends a batch of events to one stream in a single statement (atomic without an explicit
-- transaction). Rows are written only if the stream's tip is still the one the writer read:
-- version $11 with hash $12, or no events at all when $11 = 0. A writer that raced past the
-- tip is stopped by events_stream_version_key; one that is behind finds no tip and writes
-- nothing.
INSERT INTO events (event_id, stream_type, stream_id, version, event_type, schema_version,
                    payload, metadata, recorded_at, hash)
SELECT e.event_id, $1, $2, e.version, e.event_type, e.schema_version,
       e.payload::json, $9::json, $10, e.hash
FROM UNNEST($3::uuid[], $4::bigint[], $5::text[], $6::int[], $7::text[], $8::text[])
     AS e(event_id, version, event_type, schema_version, payload, hash)
WHERE $11::bigint = 0
   OR EXISTS (SELECT 1 FROM events
              WHERE stream_type = $1 AND stream_id = $2 AND version = $11 AND hash = $12)
RETURNING position
