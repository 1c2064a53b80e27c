"""Split the English sentence-level gold sets of ../shared/eval into a development part and a
held-out part, by document, and write both outside the project (never copy ../shared data
into the repository).

../shared/eval has no held-out English set, so kronika keeps one itself: a record goes to
the held-out part when the SHA-1 of its document id is divisible by 3 (about a third), else
to the development part. The document is the record id for PLOVER and CASE 2021 (one
sentence or snippet each) and the AFP story (the id before the last ``_``) for PETRARCH-2,
so sentences of one story never sit on both sides. Rules are written and checked against
the development part only; the held-out part is measured, never read for tuning.

Usage: ``python scripts/en_split.py [OUT_DIR]`` (default ``/tmp/kronika-en-split``), then
``kronika eval OUT_DIR/plover_gsr_en.dev.jsonl`` / ``OUT_DIR/plover_gsr_en.heldout.jsonl``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
FILES = {"plover_gsr_en.jsonl": lambda r: str(r["id"]),
         "petr2_gsr_validation_en.jsonl": lambda r: str(r["id"]).rsplit("_", 1)[0],
         "case2021_task2_test_en.jsonl": lambda r: str(r["id"])}


def held_out(doc_id: str) -> bool:
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 3 == 0


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, doc in FILES.items():
        lines = [ln for ln in (EVAL / name).read_text(encoding="utf-8").splitlines() if ln.strip()]
        parts: dict[str, list[str]] = {"dev": [], "heldout": []}
        for ln in lines:
            parts["heldout" if held_out(doc(json.loads(ln))) else "dev"].append(ln)
        for part, rows in parts.items():
            (out / name.replace(".jsonl", f".{part}.jsonl")).write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{name}: {len(parts['dev'])} dev, {len(parts['heldout'])} held out")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/kronika-en-split"))
