"""Development aid: loose-matched events whose source/target country differs from gold."""
import json
from kronika.model import Article
from kronika.pipeline import extract_article
from kronika.evaluate import matches, _spans
for l in open('/work/shared/eval/fr-dev.jsonl'):
    d=json.loads(l)
    evs=[e.to_dict() for e in extract_article(Article(d['id'],d['date'],d['text'])).events]
    for g in d['events']:
        sp=_spans(d['text'], g['evidence'])
        loose=[e for e in evs if matches(e,g,sp,strict=False)]
        if not loose: continue
        strict=[e for e in evs if matches(e,g,sp)]
        e=(strict or loose)[0]
        gt=(g['target'] or {}).get('country'); st=(e['target'] or {}).get('country')
        gs=(g['source'] or {}).get('country'); ss=(e['source'] or {}).get('country')
        if gt and gt!=st or gs!=ss:
            print(f"{d['id']} {g['code']} G {gs}->{gt}  S {e['cameo']} {ss}->{st} [{e['trigger']}] tgt={(e['target'] or {}).get('text')!r} src={(e['source'] or {}).get('text')!r} | {g['evidence'][0][:80]}")
