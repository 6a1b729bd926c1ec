-- The recent tier as two tables that take turns.
--
-- A settle round used to end by deleting its events from `events_recent` row by row: every row
-- and its index entry looked up, removed and rebalanced, and every page they sat on written to
-- the WAL a third time (after the append and the copy), only to be freed. That delete was a fifth
-- of the WAL and a sixth of the writer's time.
--
-- Now appends go to one of two tables while the writer settles the other, and a round ends with
-- `DELETE FROM` that whole table: SQLite's truncate optimization frees its pages without visiting
-- its rows, and with `secure_delete` off the freed pages are not written at all.
--
-- Each table holds one contiguous run of positions, and the table not taking appends holds only
-- positions older than the other's, so readers read the settled tier, then the older recent
-- table, then the newer one: the older is the one whose smallest position is smaller. The writer
-- turns to the other table when it starts a round, or when the table it appends to holds a round's
-- worth of events and the other is empty; which table takes appends is never stored: it is the
-- one holding the newest recent event (the first, when both are empty).

ALTER TABLE events_recent RENAME TO events_recent_a;

DROP INDEX events_recent_by_bucket;

CREATE INDEX events_recent_a_by_bucket ON events_recent_a (position >> 12, stream_id, version);

CREATE TABLE events_recent_b (
    position INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    event_id BLOB NOT NULL,
    correlation_id INTEGER,
    causation_id TEXT,
    principal TEXT,
    extra TEXT,
    data TEXT NOT NULL,
    hash BLOB NOT NULL
);

CREATE INDEX events_recent_b_by_bucket ON events_recent_b (position >> 12, stream_id, version);
