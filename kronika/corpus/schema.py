"""Tables and columns the corpus layer adds to a kronika database (see kronika/corpus/db.py)."""

# Added by the corpus layer (issue 12, kronika/corpus/): duplicate links, MinHash signatures and
# corpus-event ids. ALTER … IF NOT EXISTS also upgrades files written before it.
CORPUS_SCHEMA = """
ALTER TABLE articles ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS duplicate_similarity DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS corpus_event_id VARCHAR;
CREATE TABLE IF NOT EXISTS article_minhash (article_id VARCHAR PRIMARY KEY, hashvalues UBIGINT[]);
"""
