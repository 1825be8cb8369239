"""The eighth company's set (evals/kb8, a blind test set never run by its writer) is consistent:
every fact is in the text the real loader extracts from its real source file, and the set is as
large as its README says."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS, check_answerable
from evals.kb8 import build_docs
from evals.kb8.validate import FUND_CODES, Validation, validate
from ingestion.loaders import load_document

FEE_PDF = "交易规则/澄衡基金直销费率表_2026年10月版.pdf"
PRODUCT_PAGE = "产品/031851_成渝优势产业/成渝优势产业股票_产品页.html"
FEE_CUT = "公告/2026-11-24_澄衡成渝优势产业股票调低费率公告.md"
LETTER = "产品/031841_红利优选混合/红利优选混合_致持有人的一封信.md"
MANAGER_CHANGE = "公告/2026-11-18_澄衡红利优选混合基金经理变更公告.txt"


@pytest.fixture(scope="module")
def kb8() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb8: Validation) -> None:
    assert kb8.problems == []


def test_the_set_has_its_promised_size(kb8: Validation) -> None:
    english = [r for r in kb8.answerable if r["language"] == "en"]
    assert len(kb8.answerable) >= 200
    assert len(kb8.unanswerable) >= 60
    assert len(kb8.texts) >= 12
    assert 0.10 <= len(english) / len(kb8.answerable) <= 0.20
    assert sum(source.endswith(".pdf") for source in kb8.texts) >= 1
    assert sum(source.endswith(".docx") for source in kb8.texts) >= 1
    assert {source.rsplit(".", 1)[-1] for source in kb8.texts} >= {"md", "txt", "html"}


def test_every_document_is_asked_about(kb8: Validation) -> None:
    sources = Counter(r["source"] for r in kb8.answerable)
    assert set(sources) == set(kb8.texts)
    assert min(sources.values()) >= 5


def test_every_kind_of_unanswerable_question_is_there(kb8: Validation) -> None:
    kinds = Counter(r["kind"] for r in kb8.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= 8
    assert any(r["language"] == "en" for r in kb8.unanswerable)


def test_every_share_class_code_is_in_the_documents(kb8: Validation) -> None:
    for code in FUND_CODES:
        assert any(code in text for text in kb8.texts.values()), code


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb8: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in kb8.answerable)
    also = Counter(s.rsplit(".", 1)[-1] for r in kb8.answerable for s in r.get("also", []))
    assert sources["pdf"] + also["pdf"] >= 30
    assert sources["docx"] >= 12


def test_the_fee_cut_by_a_notice_is_asked_of_the_notice_not_the_older_documents(
    kb8: Validation,
) -> None:
    """成渝优势产业's management fee is 1.20 % from 2026-12-01 (the notice); the fee schedule PDF
    and the product page still print 1.50 %, so a question on today's fee names only the notice."""
    assert "|管理费（年）|1.50%|1.50%|" in kb8.texts[FEE_PDF]
    assert "|管理费|1.50%/年|1.50%/年|" in kb8.texts[PRODUCT_PAGE]
    fund = {"031851", "031852"}
    current = [
        r
        for r in kb8.answerable
        if r["fund_code"] in fund
        and any(word in r["question"] for word in ("管理费", "托管费", "服务费", "management fee"))
    ]
    assert {"1.20%", "0.20%", "0.40%"} <= {fact for r in current for fact in r["facts"]}
    for row in current:
        assert row["source"] == FEE_CUT
        assert FEE_PDF not in row.get("also", []) and PRODUCT_PAGE not in row.get("also", [])
    probe = {**current[0], "id": "probe", "source": PRODUCT_PAGE, "also": []}
    assert check_answerable([probe], kb8.texts) != []  # the product page does not say 1.20 %


def test_the_new_manager_is_asked_of_the_notice_not_the_letter(kb8: Validation) -> None:
    """红利优选混合's letter (October) is signed by 柏知遥; from 2026-11-18 宁舒扬 manages it."""
    assert "柏知遥" in kb8.texts[LETTER] and "宁舒扬" not in kb8.texts[LETTER]
    current = [r for r in kb8.answerable if "宁舒扬" in r["facts"]]
    assert current
    assert all(r["source"] == MANAGER_CHANGE and not r.get("also") for r in current)


def test_the_generated_documents_rebuild_to_the_same_text(tmp_path: Path) -> None:
    for build, path in build_docs.BUILT:
        rebuilt = tmp_path / path.name
        build(rebuilt)
        committed = load_document(path, build_docs.DOCS, path.read_bytes()).markdown
        fresh = load_document(rebuilt, tmp_path, rebuilt.read_bytes()).markdown
        assert fresh == committed, path.name
