"""From articles to a corpus: duplicate articles, corpus events (one real-world action across
reports), country dyads, trackers and the formats analysts load. See docs/corpus.md."""
