-- The log in two tiers, so an append dirties few pages however many streams interleave.
--
-- event_positions: one narrow row per event in position order, written by the append and never
--   moved. It is the position index of the whole log, and its type and correlation indexes only
--   grow at their right edges, so they stay cheap to append to.
-- events_recent: the hot tier. Full rows keyed by position, so a commit writes a few sequential
--   pages; its (stream, version) index stays small because the tier stays small.
-- events: the settled tier, clustered by (stream, version) so one stream replays from contiguous
--   pages. The writer fills it in bulk ("settling"): it copies the oldest recent events sorted by
--   stream, then deletes that position prefix from events_recent. Its old secondary indexes move
--   to event_positions.
--
-- Every event is in exactly one tier: positions up to the settled mark (one less than the
-- smallest position in events_recent, or the head when that tier is empty) are in events, later
-- ones in events_recent. Rows of events above the mark are copies an unfinished settle made
-- ahead of time; readers ignore them.

CREATE TABLE event_positions (
    position INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    correlation_id INTEGER,
    recorded_at INTEGER NOT NULL
);

INSERT INTO event_positions (position, stream_id, version, type_id, correlation_id, recorded_at)
SELECT position, stream_id, version, type_id, correlation_id, recorded_at FROM events ORDER BY position;

CREATE INDEX event_positions_by_correlation ON event_positions (correlation_id, position)
WHERE correlation_id IS NOT NULL;
CREATE INDEX event_positions_by_type ON event_positions (type_id, position);

DROP INDEX events_by_position;
DROP INDEX events_by_correlation;
DROP INDEX events_by_type;

CREATE TABLE events_recent (
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

CREATE UNIQUE INDEX events_recent_by_stream ON events_recent (stream_id, version);
