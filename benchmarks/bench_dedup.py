"""Near-duplicate detection on real articles: how similar different articles are, and whether
lightly rewritten copies are caught.

    .venv/bin/python benchmarks/bench_dedup.py [../shared/eval/fr-train.jsonl]

Prints the most similar pairs of the 180 articles (exact Jaccard of their shingle sets, for
3- and 5-word shingles), then, for copies of every article with 3 %, 5 %, 8 % and 10 % of its
words replaced at random, how many the index (MinHash LSH, kronika/corpus/dedup.py) links to
the original.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kronika.corpus.dedup import DuplicateIndex, shingles, signature  # noqa: E402
from kronika.store.schema import text_hash  # noqa: E402


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "eval"
                / "fr-train.jsonl")
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    jac = lambda a, b: len(a & b) / max(1, len(a | b))  # noqa: E731
    for k in (3, 5):
        sh = [shingles(r["text"], k) for r in rows]
        top = sorted(((jac(sh[i], sh[j]), rows[i]["id"], rows[j]["id"], bool(rows[i]["story"])
                       and rows[i]["story"] == rows[j]["story"])
                      for i, j in itertools.combinations(range(len(rows)), 2)), reverse=True)[:4]
        print(f"{k}-word shingles, most similar pairs:",
              ", ".join(f"{a}/{b} {s:.2f}{' (same story)' if st else ''}" for s, a, b, st in top))
    idx = DuplicateIndex()
    for r in rows:
        idx.add(r["id"], text_hash(r["text"]), signature(r["text"]))
    for frac in (0.03, 0.05, 0.08, 0.10):
        rnd = random.Random(0)
        found = 0
        for r in rows:
            w = r["text"].split()
            for _ in range(max(1, int(len(w) * frac))):
                j = rnd.randrange(len(w))
                w[j] = "zz" + w[j][::-1]
            text = " ".join(w)
            d = idx.check("copy-" + r["id"], text_hash(text), signature(text))
            found += d is not None and d.duplicate_of == r["id"]
        print(f"copies with {frac:.0%} of words replaced: {found}/{len(rows)} linked to their original")


if __name__ == "__main__":
    main()
