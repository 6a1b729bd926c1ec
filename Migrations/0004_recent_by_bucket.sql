-- The recent tier's stream index, keyed by position bucket first.
--
-- `events_recent_by_stream` on (stream_id, version) took every append at a random place: a group
-- commit of 136 events over 1,000 streams dirtied about 80 of the index's pages, each written to
-- the WAL whole and again by the checkpoint, against 22 pages for everything else the commit
-- wrote (WAL frames per commit on a copy of this schema: 103 with that index, 34 with this one).
-- Appends come in position order, so an index led by `position >> 12` takes them all in the
-- newest bucket's few pages, and a settle round's delete removes whole buckets.
--
-- A stream's recent events are found by one probe per bucket of 4,096 positions the recent tier
-- spans (it holds a settle round or two: 4 to 9 buckets), and come out in (bucket, version)
-- order, which within one stream is version order, so no read sorts. Every query on this index
-- names the same expression, `position >> 12`, which is how SQLite matches it to an expression
-- index (`RecentBuckets` in SluiceLogSQLite). Uniqueness of (stream, version) stays with the
-- writer, which appends each stream's versions in order, and with the settled tier's unique index.

DROP INDEX events_recent_by_stream;

CREATE INDEX events_recent_by_bucket ON events_recent (position >> 12, stream_id, version);
