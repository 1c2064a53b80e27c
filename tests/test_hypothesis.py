"""Issue 7.4: property-based tests on arbitrary text. The readers, date resolution and
extraction never crash, and every offset they return lies inside the text (and points at
the words it claims)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kronika.model import Article
from kronika.reader import ReadProblem, decode_bytes, read_corpus_text, read_jsonl_lines, read_stream
from kronika.timex import find_timexes

TODAY = date(2026, 11, 27)
WORDS = [
    # news-like French and English words, so that generated text reaches the coding rules
    "La", "police", "a", "arrêté", "trois", "militants", "à", "Paris", "mardi", "hier", "le", "14", "juillet",
    "2025", "Le", "président", "Emmanuel", "Macron", "rencontré", "son", "homologue", "russe", "Moscou", ".",
    ",", "«", "»", "l'armée", "bombardé", "Kiev", "les", "manifestants", "ont", "défilé", "Bélarus",
    "libéré", "prisonniers", "samedi", "gouvernement", "condamné", "attaque", "\n\n", "\n", "ONU", "sanctions",
    "The", "police", "arrested", "protesters", "in", "London", "on", "Monday", "President", "met", "visited",
    "last", "week", "next", "year", "2024-03-01", "01/02/2023", "il y a", "deux", "jours", "depuis", "mai",
    "M.", "Mme", "Loukachenko", "Minsk", "Iran", "Téhéran", "a dénoncé", "menacé", "riposter", "—", "(", ")",
]
news = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join)
texts = st.one_of(news, st.text(max_size=300), st.builds(lambda a, b: a + b, news, st.text(max_size=40)))
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2035, 12, 31))
langs = st.sampled_from(["fr", "en"])


def check_items(items) -> None:
    for it in items:
        assert isinstance(it, (Article, ReadProblem))
        if isinstance(it, Article):
            assert it.text.strip() and it.lang in ("fr", "en")
            assert not any(ord(c) < 32 and c not in "\n\t" for c in it.text)
        else:
            assert it.level in ("error", "warning") and "\n" not in it.path + str(it.line)


@settings(max_examples=200, deadline=None)
@given(texts, st.booleans())
def test_corpus_reader_never_raises(body, with_header):
    text = f" date 2025-01-01 {body}" if with_header else body
    check_items(read_corpus_text(text, "x", "x.txt", today=TODAY))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decoding_arbitrary_bytes(data):
    try:
        text, _warn = decode_bytes(data)
    except ValueError:
        return
    assert isinstance(text, str)
    check_items(read_stream(io.BytesIO(data), "<bytes>", today=TODAY))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                           max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=80),
    json_values.map(json.dumps),
    st.fixed_dictionaries({"id": st.text(max_size=10), "date": st.one_of(st.text(max_size=12), dates.map(str)),
                           "text": texts}, optional={"lang": st.text(max_size=3)}).map(json.dumps),
), max_size=8))
def test_jsonl_reader_never_raises_and_names_lines(lines):
    items = list(read_jsonl_lines(lines, "f.jsonl", today=TODAY))
    check_items(items)
    for it in items:
        if isinstance(it, ReadProblem):
            assert it.line is not None and 1 <= it.line <= len(lines) and f"f.jsonl:{it.line}" in str(it)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, dates, langs)
def test_timex_offsets_inside_text(text, published, lang):
    txs = find_timexes(text, published, lang)
    last_end = -1
    for tx in txs:
        assert 0 <= tx.start < tx.end <= len(text)
        assert text[tx.start:tx.end] == tx.text
        assert tx.start >= last_end  # sorted, non-overlapping
        last_end = tx.end


@pytest.fixture(scope="module")
def warm():
    from kronika.pipeline import warm_up

    warm_up(("fr", "en"))


def check_span(text: str, start, end, words=None) -> None:
    assert start is not None and end is not None
    assert 0 <= start <= end <= len(text)
    if words is not None:
        assert text[start:end] == words


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=texts, published=dates, lang=langs)
def test_extraction_offsets_inside_text(warm, text, published, lang):
    from kronika.pipeline import extract

    for ev in extract(text, published.isoformat(), lang):
        check_span(text, ev.start, ev.end, ev.sentence)
        check_span(text, ev.trigger_start, ev.trigger_end, ev.trigger)
        assert ev.start <= ev.trigger_start and ev.trigger_end <= ev.end
        for a in (ev.source, ev.target, ev.attribution):
            if a is not None and a.start is not None:
                check_span(text, a.start, a.end)
        for m in ev.mentions:
            check_span(text, m.start, m.end, m.sentence)
            check_span(text, m.trigger_start, m.trigger_end, m.trigger)
