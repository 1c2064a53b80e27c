"""Development aid: matched events whose date differs from the gold date (French dev set)."""
import json
from kronika.model import Article
from kronika.pipeline import extract_article
from kronika.evaluate import matches, _spans
for l in open('/work/shared/eval/fr-dev.jsonl'):
    d=json.loads(l)
    evs=[e.to_dict() for e in extract_article(Article(d['id'],d['date'],d['text'])).events]
    for g in d['events']:
        if not g['date']: continue
        sp=_spans(d['text'], g['evidence'])
        m=[e for e in evs if matches(e,g,sp)]
        if not m: continue
        e=m[0]
        if not (e['date'] or '').startswith(g['date']):
            print(f"{d['id']} pub={d['date']} G {g['code']} {g['date']} S {e['cameo']} {e['date']} inferred={e['date_inferred']} [{e['trigger']}] | {e['sentence'][:120]}")
