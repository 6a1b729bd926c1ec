-- The settled tier as a rowid table in settle order, with (stream, version) as a unique index.
--
-- `events` was a WITHOUT ROWID table keyed by (stream, version). SQLite stores such a table as an
-- index b-tree: interior pages hold whole rows as separator keys, and a row over about 1 KiB (a
-- quarter of a page) spills its tail to an overflow page of its own. The pipeline's events average
-- about 680 bytes of data and a quarter of them pass 1 KiB (finalized objects, published messages,
-- execution arguments), so its settled tier filled 54,083 pages for 129,402 events, 33,646 of
-- them overflow pages, each written to the WAL whole: 2.4 events a page, against 5.7 in the
-- rowid-keyed recent tier. SQLite's own advice is to keep WITHOUT ROWID rows under 1/20 of a page.
--
-- Now the settled tier is an ordinary table whose rowid (`seq`) counts up in settle order. A
-- settle round copies its events sorted by (stream, version), so each stream's events of a round
-- are adjacent and a stream still replays from few pages; rows up to about 4 KiB stay on their
-- leaf page, and copies append at the table's right edge, which packs pages full. The unique
-- index keeps every read by (stream, version) as it was, and makes a repeated copy a no-op.

CREATE TABLE events_settled (
    seq INTEGER PRIMARY KEY,             -- settle order
    stream_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
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

INSERT INTO events_settled (stream_id, version, position, type_id, recorded_at, event_id, correlation_id,
    causation_id, principal, extra, data, hash)
SELECT stream_id, version, position, type_id, recorded_at, event_id, correlation_id,
    causation_id, principal, extra, data, hash
FROM events ORDER BY stream_id, version;

DROP TABLE events;

ALTER TABLE events_settled RENAME TO events;

CREATE UNIQUE INDEX events_by_stream ON events (stream_id, version);
