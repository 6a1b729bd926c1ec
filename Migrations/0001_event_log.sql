-- The event log. Events are clustered by (stream, version) so replaying one stream reads
-- contiguous pages; the global position has its own narrow index, which only grows at its end.
-- Stream names, event types and correlation ids are interned to integers so the hot indexes
-- stay small and new entries land near the right edge of their B-trees.

CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE event_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE correlations (
    id INTEGER PRIMARY KEY,
    value TEXT NOT NULL UNIQUE
);

CREATE TABLE events (
    stream_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,        -- microseconds since the Unix epoch, never decreasing with position
    event_id BLOB NOT NULL,              -- 16-byte UUIDv7
    correlation_id INTEGER,              -- correlations.id
    causation_id TEXT,
    principal TEXT,
    extra TEXT,                          -- free metadata keys as a JSON object, or NULL
    data TEXT NOT NULL,                  -- the event's JSON data
    hash BLOB NOT NULL,                  -- SHA-256 over the previous event's hash and this event's content
    PRIMARY KEY (stream_id, version)
) WITHOUT ROWID;

CREATE UNIQUE INDEX events_by_position ON events (position);
CREATE INDEX events_by_correlation ON events (correlation_id, position) WHERE correlation_id IS NOT NULL;
CREATE INDEX events_by_type ON events (type_id, position);

-- Appends carrying an idempotency key remember what they stored, so a retry returns it.
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    first_position INTEGER NOT NULL,
    last_position INTEGER NOT NULL,
    first_version INTEGER NOT NULL,
    last_version INTEGER NOT NULL
) WITHOUT ROWID;

-- How far each registered projection has applied the log, and with which of its schema versions.
CREATE TABLE projections (
    name TEXT PRIMARY KEY,
    schema_version INTEGER NOT NULL,
    position INTEGER NOT NULL
) WITHOUT ROWID;
