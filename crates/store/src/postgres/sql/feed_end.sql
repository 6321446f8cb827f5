-- The visible end of the global feed: the greatest (transaction id, position) below the
-- oldest transaction still in flight. Every transaction below that xmin has ended, so no row
-- at or before this cursor can appear later. A filtered read that comes back short of its
-- limit may move its cursor here (see EventStore::read_feed). A backward scan of
-- events_global_order that starts at the xmin, so it stays one index probe however many
-- rows a long transaction holds back.
SELECT transaction_id::text AS transaction_text, position
FROM events
WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY events.transaction_id DESC, events.position DESC
LIMIT 1
