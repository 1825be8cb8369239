"""The spaCy model (character tokens with jieba tags, trained by evals.train_ner_spacy): loaded
offline from the repository, one token per character, and the names it finds wherever they
stand; with the CRF in the ensemble, what neither finds alone."""

from __future__ import annotations

import pytest

from assistant.redaction.ensemble_ner import default_ensemble_tagger
from assistant.redaction.recognizers.zh_ner import ner_recognizer
from assistant.redaction.spacy_ner import (
    SPACY_MODEL_DIR,
    char_doc,
    char_tags,
    default_spacy_tagger,
)

CASES = [
    ("帮我查一下张伟的账户", ["张伟"]),
    ("我想找李建国", ["李建国"]),
    ("家庭住址四川省成都市武侯区人民南路四段12号", ["四川省成都市武侯区人民南路四段12号"]),
    ("易方达蓝筹精选混合怎么样", []),
    ("我在北京", []),
    ("请问161610今天净值多少", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(ner_recognizer(("spacy",)))


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_spacy_model_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


def test_one_token_per_character_with_its_jieba_word() -> None:
    tagger = default_spacy_tagger()
    text = "我叫王刚 住在A座"
    doc = char_doc(tagger._nlp.vocab, text, [(0, 1), (1, 2), (2, 4), (4, 5), (5, 7), (7, 9)])
    assert [t.text for t in doc] == list(text) and doc.text == text
    assert [t.tag_ for t in doc][2:4] == char_tags(text, [(2, 4)])[2:4]
    assert doc[2].tag_.startswith("B:") and doc[3].tag_.startswith("E:")


def test_the_model_is_in_the_repository_and_small() -> None:
    size = sum(p.stat().st_size for p in SPACY_MODEL_DIR.rglob("*") if p.is_file())
    assert (SPACY_MODEL_DIR / "meta.json").exists() and size < 20 * 1024 * 1024
    assert default_spacy_tagger() is default_spacy_tagger()
    assert default_ensemble_tagger().spacy is default_spacy_tagger()
