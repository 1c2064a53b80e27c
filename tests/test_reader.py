"""Readers: corpus format, JSON Lines, directories, standard input, and bad input."""

from __future__ import annotations

import io
import json
from datetime import date

from kronika.model import Article
from kronika.reader import ReadProblem, parse_date, read_inputs, read_path, read_stream

TODAY = date(2026, 11, 27)


def arts(items):
    return [i for i in items if isinstance(i, Article)]


def probs(items, level=None):
    return [i for i in items if isinstance(i, ReadProblem) and (level is None or i.level == level)]


def test_corpus_format_body_and_offsets(seed_path):
    items = list(read_path(seed_path, today=TODAY))
    [a] = arts(items)
    assert a.id == "000_999dded07df95737"
    assert a.published == "2025-12-13"
    assert a.lang == "fr"
    assert a.text.startswith("La Biélorussie a libéré samedi 123 prisonniers")
    raw = seed_path.read_text(encoding="utf-8")
    assert raw.endswith(a.text)  # the body is the text after the header; offsets refer to it


def test_month_precision_header(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(" date 2025-06 Le gouvernement a annoncé des mesures.", encoding="utf-8")
    [a] = arts(read_path(p, today=TODAY))
    assert a.published == "2025-06"
    assert a.published_date == date(2025, 6, 1)


def test_jsonl_fields_and_line_errors(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "date": "2025-01-02", "text": "La police a arrêté trois militants.", "url": "http://x"}),
        "{not json",
        json.dumps({"id": "a3", "date": "2025-01-02"}),
        json.dumps({"id": "a4", "text": "Sans date."}),
        json.dumps({"id": "a5", "date": "2025-01-03", "text": "Le président a visité Dakar.", "lang": "fr"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(p, today=TODAY))
    assert [a.id for a in arts(items)] == ["a1", "a5"]
    assert arts(items)[0].url == "http://x"
    errs = probs(items, "error")
    assert [e.line for e in errs] == [2, 3, 4]
    assert "not JSON" in errs[0].message and str(p) in str(errs[0])
    assert "text" in errs[1].message and "date" in errs[2].message


def test_directory_recursive_and_missing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(" date 2025-02-01 L'armée a bombardé la ville.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(" date 2025-02-02 Les manifestants ont défilé à Paris.", encoding="utf-8")
    items = list(read_inputs([tmp_path, tmp_path / "nope.txt"], today=TODAY))
    assert sorted(a.id for a in arts(items)) == ["a", "b"]
    assert "no such file" in probs(items)[0].message


def test_stdin_both_formats():
    items = list(read_stream(io.StringIO(" date 2025-03-01 Le Hamas a libéré deux otages."), today=TODAY))
    assert arts(items)[0].id == "stdin"
    line = json.dumps({"id": "x", "date": "2025-03-01", "text": "Le Hamas a libéré deux otages."})
    items = list(read_stream(io.StringIO(line + "\n"), today=TODAY))
    assert arts(items)[0].id == "x"


def test_bad_files_each_named(tmp_path):
    cases = {
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02\x89PNG\x00\x00",
        "nodate.txt": "La police a arrêté trois militants.".encode(),
        "baddate.txt": " date 2025-13-45 La police a arrêté trois militants.".encode(),
        "hier.txt": " date hier La police a arrêté trois militants.".encode(),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(" date 2025-01-01 La police a arrêté trois militants.", encoding="utf-8")
    items = list(read_inputs([tmp_path], today=TODAY))
    assert [a.id for a in arts(items)] == ["good"]
    errs = probs(items, "error")
    assert len(errs) == 5
    by_file = {e.path.rsplit("/", 1)[-1]: e.message for e in errs}
    assert "empty" in by_file["empty.txt"]
    assert "binary" in by_file["binary.txt"]
    assert "missing date header" in by_file["nodate.txt"]
    assert "impossible date" in by_file["baddate.txt"] or "malformed" in by_file["baddate.txt"]
    assert "malformed date" in by_file["hier.txt"]


def test_encodings_and_fallbacks(tmp_path):
    (tmp_path / "latin1.txt").write_bytes(" date 2025-01-01 L'armée a bombardé la région. Été chaud.".encode("latin-1"))
    (tmp_path / "cp1252.txt").write_bytes(" date 2025-01-01 L’armée a bombardé la région.".encode("cp1252"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + " date 2025-01-01 L'armée a bombardé la région.".encode())
    items = list(read_inputs([tmp_path], today=TODAY))
    texts = {a.id: a.text for a in arts(items)}
    assert texts["latin1"].endswith("Été chaud.")
    assert "L’armée" in texts["cp1252"]
    assert texts["bom"].startswith("L'armée")
    warns = probs(items, "warning")
    assert len(warns) == 2 and all("decoded as" in w.message for w in warns)


def test_html_control_chars_future_and_language(tmp_path):
    (tmp_path / "page.txt").write_text(
        " date 2025-01-01 <html><body><p>L'armée a bombardé la région.</p><script>alert(1)</script></body></html>",
        encoding="utf-8")
    (tmp_path / "ctrl.txt").write_text(" date 2025-01-01 L'armée a\x07 bombardé\x1b la région.", encoding="utf-8")
    (tmp_path / "future.txt").write_text(" date 2031-01-01 L'armée a bombardé la région.", encoding="utf-8")
    (tmp_path / "es.txt").write_text(" date 2025-01-01 El ejército bombardeó la región y la policía detuvo a los "
                                     "manifestantes en la capital.", encoding="utf-8")
    items = list(read_inputs([tmp_path], today=TODAY))
    texts = {a.id: a.text for a in arts(items)}
    assert texts["page"] == "L'armée a bombardé la région."
    assert "\x07" not in texts["ctrl"] and "bombardé" in texts["ctrl"]
    assert "future" in texts
    msgs = [str(p) for p in probs(items)]
    assert any("HTML" in m for m in msgs)
    assert any("control character" in m for m in msgs)
    assert any("future" in m for m in msgs)
    assert any("es.txt" in m and "language es" in m for m in msgs)


def test_parse_date():
    assert parse_date("2025-12-13") == "2025-12-13"
    assert parse_date("2025-12") == "2025-12"
    for bad in ("2025-13-45", "hier", "13/12/2025", "2025-02-30"):
        try:
            parse_date(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_a_nul_line_in_jsonl_costs_only_itself(tmp_path):
    """A JSON Lines file whose first line holds NUL bytes is still JSON Lines: that line is an
    error at its number, the good records after it are read (was: the whole file refused as
    binary); a file with NULs and no JSON object line is one binary-file error."""
    good = json.dumps({"id": "ok", "date": "2025-12-13", "text": "La Biélorussie a libéré 123 prisonniers."})
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(b"\x00\x00 garbage\n" + good.encode() + b"\n")
    items = list(read_path(f))
    arts = [i for i in items if isinstance(i, Article)]
    probs = [i for i in items if isinstance(i, ReadProblem)]
    assert [a.id for a in arts] == ["ok"]
    assert [(p.line, p.level) for p in probs] == [(1, "error")]
    b = tmp_path / "blob.jsonl"
    b.write_bytes(b"\x00\x01\x02 binary\n\x00 more\n")
    probs = [i for i in read_path(b) if isinstance(i, ReadProblem)]
    assert [(p.line, p.message) for p in probs] == [(None, "binary file (NUL bytes), not text")]
