"""Mixed-language articles (issue 11 item 4): a French article with embedded English tweets is
read in French, and its English lines with the English pipeline (or skipped on request), with
a reader warning naming them. Invented texts."""

from __future__ import annotations

from datetime import date

import kronika
from kronika.langid import foreign_passages
from kronika.model import Article
from kronika.reader import ReadProblem, read_corpus_text

TWEET = "Breaking: the United States has imposed new sanctions on Belarusian potash exports, officials said."
TEXT = ("La Biélorussie a libéré samedi 123 prisonniers politiques, selon l'opposition.\n"
        f"{TWEET}\n"
        "Le président a salué cette décision devant la presse.")


def test_foreign_lines_are_found_by_language():
    [(s, e, lang)] = foreign_passages(TEXT, "fr")
    assert lang == "en" and TEXT[s:e] == TWEET
    assert foreign_passages(TEXT, "en")[-1] == (TEXT.rindex("\n") + 1, len(TEXT), "fr")  # read the other way round
    # a short quote or a name in the other language is not a passage
    assert foreign_passages("Le ministre a dit « no comment » avant de partir vers Paris.", "fr") == []
    assert foreign_passages("Le ministre a déclaré que the deal is off, puis il est parti.", "fr") == []


def test_english_lines_read_with_the_english_pipeline():
    evs = kronika.extract(TEXT, published="2025-12-13", lang="fr")
    by_lang = {(e.lang, e.root) for e in evs}
    assert ("fr", "08") in by_lang and ("en", "16") in by_lang
    sanction = next(e for e in evs if e.root == "16")
    assert (sanction.source.country, sanction.target.country) == ("USA", "BLR")
    assert TEXT[sanction.trigger_start:sanction.trigger_end] == sanction.trigger == "imposed"
    assert TEXT[sanction.start:sanction.end] == sanction.sentence
    assert [e.event_id for e in evs] == [f"text#{n}" for n in range(len(evs))]


def test_skipped_on_request(monkeypatch):
    monkeypatch.setenv("KRONIKA_FOREIGN_PASSAGES", "skip")
    evs = kronika.extract(TEXT, published="2025-12-13", lang="fr")
    assert evs and all(e.lang == "fr" and e.sentence != TWEET for e in evs)
    items = read_corpus_text(" date 2025-12-13 " + TEXT, "mixed", "mixed.txt", today=date(2026, 1, 1))
    [w] = [i for i in items if isinstance(i, ReadProblem)]
    assert w.level == "warning" and "1 passage(s) in en" in w.message and "skipped" in w.message


def test_reader_warns_and_keeps_the_main_language():
    items = read_corpus_text(" date 2025-12-13 " + TEXT, "mixed", "mixed.txt", today=date(2026, 1, 1))
    [a] = [i for i in items if isinstance(i, Article)]
    [w] = [i for i in items if isinstance(i, ReadProblem)]
    assert a.lang == "fr" and "read with the en pipeline" in w.message
