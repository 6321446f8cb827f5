-- The global feed after a cursor (transaction id, position). Only rows of transactions older
-- than every transaction still in flight are visible: positions are taken from a sequence
-- before commit, so a row with a lower position may still be on its way, but never one from
-- a transaction below the snapshot's xmin. Served by events_global_order.
--
-- $4 restricts the feed to some event types, $5 to some stream types (NULL: every one). They
-- filter the same ordered scan, not a different order, so the cursor keeps its meaning and a
-- filtered page is as gap-safe as the whole feed; LIMIT counts the rows that match.
--
-- Each row also carries the feed's visible end (feed_end.sql), worked out once in the same
-- snapshot as the page: when a page comes back short, every event up to that end was either
-- returned or filtered out, and the cursor may move past the filtered ones
-- (EventStore::read_feed). An empty page is one row with the end and no event; no row at all
-- means no event is visible yet. One statement, one round trip, whatever the page holds.
WITH visible_end AS MATERIALIZED (
    SELECT transaction_id, position
    FROM events
    WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY events.transaction_id DESC, events.position DESC
    LIMIT 1
)
SELECT page.position, page.transaction_text, page.event_id, page.stream_type, page.stream_id,
       page.version, page.event_type, page.schema_version, page.payload, page.metadata,
       page.recorded_at, page.hash,
       visible_end.transaction_id::text AS end_transaction_text,
       visible_end.position AS end_position
FROM visible_end
LEFT JOIN (
    SELECT position, transaction_id, transaction_id::text AS transaction_text, event_id,
           stream_type, stream_id, version, event_type, schema_version, payload, metadata,
           recorded_at, hash
    FROM events
    WHERE (transaction_id, position) > ($1::text::xid8, $2)
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      AND ($4::text[] IS NULL OR event_type = ANY ($4::text[]))
      AND ($5::text[] IS NULL OR stream_type = ANY ($5::text[]))
    ORDER BY events.transaction_id, events.position
    LIMIT $3
) AS page ON true
-- Only the page's rows (at most LIMIT) are sorted here: the scan above stops at LIMIT.
ORDER BY page.transaction_id, page.position
