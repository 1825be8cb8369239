"""The second company's held-out question sets agree with its documents as the loader reads them."""

from __future__ import annotations

from evals.kb2 import validate


def test_every_fact_is_in_its_source_as_the_loader_extracts_it() -> None:
    texts = validate.extracted_texts()
    answerable = validate.load_rows(validate.QUESTIONS)
    unanswerable = validate.load_rows(validate.UNANSWERABLE)
    assert len(texts) >= 10 and len(answerable) >= 120 and len(unanswerable) >= 60
    assert {source.rsplit(".", 1)[-1] for source in texts} >= {"pdf", "docx", "md", "txt", "html"}
    assert validate.check_answerable(answerable, texts) == []
    assert validate.check_unanswerable(unanswerable, answerable) == []


def test_a_fact_missing_from_its_source_is_reported() -> None:
    texts = validate.extracted_texts()
    row = dict(validate.load_rows(validate.QUESTIONS)[0])
    row.pop("also", None)
    row["facts"] = ["每笔9999元"]
    assert validate.check_answerable([row], texts) == [
        f"{row['id']}: fact '每笔9999元' not in {row['source']}"
    ]


def test_a_fact_counts_in_any_of_its_forms_and_a_form_of_no_fact_is_reported() -> None:
    """The label audit's `fact_forms`: a document holding a fact in another form accepts it; a
    form in no document, or forms for a fact the question does not require, are problems."""
    texts = validate.extracted_texts()
    row = dict(validate.load_rows(validate.QUESTIONS)[0])
    row.pop("also", None)
    source_text = texts[row["source"]]
    row["facts"] = ["每笔9999元"]
    row["fact_forms"] = {"每笔9999元": [source_text[:6]]}
    assert validate.check_answerable([row], texts) == []
    row["fact_forms"] = {"每笔9999元": ["每笔8888元"], "不是事实": ["x"]}
    assert validate.check_answerable([row], texts) == [
        f"{row['id']}: forms for '不是事实', not one of its facts",
        f"{row['id']}: fact '每笔9999元' not in {row['source']}",
    ]
