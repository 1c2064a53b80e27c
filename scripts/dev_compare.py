"""Development aid: list gold vs system events per article of the French dev set (argv: article ids)."""
import json, sys
from kronika.model import Article
from kronika.pipeline import extract_article
ids=set(sys.argv[1:])
for l in open('/work/shared/eval/fr-dev.jsonl'):
    d=json.loads(l)
    if ids and d['id'] not in ids: continue
    print('=====', d['id'], d['date'])
    for g in d['events']:
        s=g['source'] or {}; t=g['target'] or {}
        print(f"  G {g['code']:5} {s.get('country')}/{s.get('sector')} -> {t.get('country')}/{t.get('sector')} d={g['date']} {g['focus'][:4]} | {g['evidence'][0][:90]}")
    for e in extract_article(Article(d['id'],d['date'],d['text'])).events:
        s=e.source; t=e.target
        print(f"  S {e.cameo:5} {s.country if s else None}/{s.sector if s else None} -> {t.country if t else None}/{t.sector if t else None} d={e.date} [{e.trigger}] src='{(s.text if s else '')[:30]}' tgt='{(t.text if t else '')[:30]}' | {e.sentence[:60]}")
