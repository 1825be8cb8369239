"""A conversation about one fund does not move to another fund unless the client does: a short
message read both ways (`AssistantPipeline._standalone`) is not answered alone from a passage
about another fund than the one the conversation named, unless the message's own words point
there (a word of that fund's names, a currency only it has, one of its managers) or the
conversation's fund's passage holds fewer of its words; and one naming
a share class the conversation's fund does not have is not carried at all. Run on the
fourth company's real documents (evals/kb4/docs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.models import Reply, TurnRequest

KB4_DOCS = Path(__file__).resolve().parents[2] / "evals" / "kb4" / "docs"


@pytest.fixture(scope="module")
def kb4(company_pipeline):  # type: ignore[no-untyped-def]
    return company_pipeline(KB4_DOCS)


def _second(pipeline, first: str, second: str) -> Reply:  # type: ignore[no-untyped-def]
    opened = pipeline.handle(TurnRequest(message=first))
    return pipeline.handle(TurnRequest(message=second, session_id=opened.session_id))


@pytest.mark.parametrize(
    ("first", "second", "cited", "not_cited"),
    [
        # alone, 管理费多少 reads best against another fund's fee-cut notice
        ("养老2045 Y份额怎么买", "管理费多少", "养老2045", "先锋成长"),
        # alone, 基金经理是谁 reads best against another fund's manager-change notice
        ("全球医疗风险等级多少", "基金经理是谁", "全球医疗", "先进制造"),
        # hard negative: the client names the other fund's former manager, so goes there
        ("添益货币的托管行是哪家银行", "韩东野离任后去哪了", "先进制造", "添益"),
        # hard negative: 养老2045's passages hold none of its words, an index fund's do
        ("养老2045风险等级多少", "跟踪误差多少", "dividend-lowvol", "养老2045"),
    ],
)
def test_a_short_message_stays_with_the_conversations_fund_unless_it_points_elsewhere(
    kb4, first: str, second: str, cited: str, not_cited: str
) -> None:  # type: ignore[no-untyped-def]
    reply = _second(kb4, first, second)
    sources = [c.source for c in reply.citations]
    assert reply.route == "answered" and sources, reply.reasons
    assert any(cited in s for s in sources), sources
    assert not any(not_cited in s for s in sources), sources


@pytest.mark.parametrize(
    ("previous", "text", "carried"),
    [
        # 先进制造 has no Y or B class, 养老2045 and 添益货币 have: the client moved to their fund
        ("先进制造风险等级多少", "Y类能定投吗", None),
        ("先进制造风险等级多少", "B类低于多少份会降级", None),
        # a currency only other funds have classes in (全球医疗's 美元份额)
        ("添益货币的托管行是哪家银行", "美元份额最低买多少", None),
        # hard negatives: the class is the conversation fund's own, or none is named
        ("养老2045风险等级多少", "Y类能定投吗", "养老2045"),
        ("先进制造风险等级多少", "能定投吗", "先进制造"),
    ],
)
def test_a_short_message_naming_a_class_its_fund_lacks_is_not_carried(
    kb4, previous: str, text: str, carried: str | None
) -> None:  # type: ignore[no-untyped-def]
    from assistant.followup import FollowUpResolver

    standalone = FollowUpResolver().resolve(text, previous, kb4.c.retriever.catalog)
    if carried is None:
        assert standalone == text
    else:
        assert carried in standalone and standalone.endswith(text), standalone


@pytest.mark.parametrize(
    ("previous", "text", "now", "gone"),
    [
        ("添益货币B类起购多少", "那E类呢", "添益货币E类", "B类"),  # any class letter, not only A-C
        # an English question with its fund's Chinese name beside it: one class, in place
        (
            "management fee of the advanced manufacturing fund class A? (鹤汀先进制造股票型证券投资基金)",
            "and class C?",
            "鹤汀先进制造股票型证券投资基金C类",
            "class A",
        ),
    ],
)
def test_a_class_follow_up_replaces_the_class_asked_before(
    kb4, previous: str, text: str, now: str, gone: str
) -> None:  # type: ignore[no-untyped-def]
    from assistant.followup import FollowUpResolver

    standalone = FollowUpResolver().resolve(text, previous, kb4.c.retriever.catalog)
    assert now in standalone and gone not in standalone, standalone


def test_an_english_name_no_document_writes_names_the_fund_by_translation(kb4) -> None:  # type: ignore[no-untyped-def]
    """kb4's documents give 先进制造 no English name; e5 ties "advanced manufacturing" to it.
    The fund's own name joins the question, so the search and the next turn read it named."""
    catalog = kb4.c.retriever.catalog
    fund = catalog.translated("who manages the advanced manufacturing fund now")
    assert fund is not None and "先进制造" in fund.name
    assert catalog.translated("when was Heting Fund founded") is None  # names no fund
    assert catalog.translated("先进制造 fund manager") is None  # Chinese: spotted as written
    first = kb4.handle(TurnRequest(message="who manages the advanced manufacturing fund now"))
    assert first.route == "answered" and "先进制造" in first.explanation.standalone_query
    assert first.citations and all("先进制造" in c.source for c in first.citations), first.citations
    second = kb4.handle(TurnRequest(message="and its benchmark?", session_id=first.session_id))
    assert "先进制造" in second.explanation.standalone_query


def test_an_english_message_naming_its_fund_by_translation_stands_alone(kb4) -> None:  # type: ignore[no-untyped-def]
    """Its "it" (how long does it take) does not carry the fund the conversation named before:
    the message names its own, as one naming it in Chinese would."""
    opened = kb4.handle(TurnRequest(message="养老2045 Y份额怎么买"))
    asked = "How long does it take to get my money back from the advanced manufacturing fund?"
    reply = kb4.handle(TurnRequest(message=asked, session_id=opened.session_id))
    standalone = reply.explanation.standalone_query
    assert "先进制造" in standalone and "养老" not in standalone, standalone
    assert all("养老" not in c.source for c in reply.citations), reply.citations


@pytest.mark.parametrize("readers_free", [True, False])
def test_a_message_read_both_ways_reads_them_side_by_side_in_the_turns_context(
    kb4, monkeypatch: pytest.MonkeyPatch, readers_free: bool
) -> None:  # type: ignore[no-untyped-def]
    """The second reading runs on another thread, and sees the turn's LLM deadline (a context
    variable) as the first does: a follow-up's LLM calls share one budget. With every side
    reader busy, the turn reads both itself rather than wait in a queue. A reading aside
    occupies a core beside its turn's, so neither borrows one for its readers."""
    import threading

    from assistant.cores import CORES
    from assistant.service.deadline import current_deadline, llm_deadline

    if not readers_free:
        busy = threading.BoundedSemaphore(1)
        busy.acquire()
        monkeypatch.setattr(kb4, "_free_readers", busy)

    seen: list[tuple[str, str, float]] = []
    cores_in_use: dict[str, int] = {}
    attempt = kb4.attempt

    def recorded(opened, understood):  # type: ignore[no-untyped-def]
        name = threading.current_thread().name
        seen.append((understood.standalone, name, current_deadline(1e9)))
        cores_in_use.setdefault(name, CORES.in_use)
        return attempt(opened, understood)

    opened = kb4.handle(TurnRequest(message="养老2045 Y份额怎么买"))
    monkeypatch.setattr(kb4, "attempt", recorded)
    with llm_deadline(30) as deadline:
        reply = kb4.handle(TurnRequest(message="管理费多少", session_id=opened.session_id))
    assert reply.route == "answered"
    readings = sorted(s for s, _, _ in seen)
    assert len(readings) == 2 and readings[1] == "管理费多少", seen
    assert "养老2045" in readings[0] and readings[0].endswith("管理费多少"), seen
    assert len({name for _, name, _ in seen}) == (2 if readers_free else 1), seen
    assert all(d == deadline for _, _, d in seen), seen
    aside = [n for n in cores_in_use if n != threading.current_thread().name]
    assert [cores_in_use[n] for n in aside] == ([2] if readers_free else []), cores_in_use
    assert CORES.in_use == 0


def test_a_reading_aside_occupies_its_core_before_its_thread_starts(
    kb4, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Counted only once its thread ran, a reading aside left the core free for the turn's own
    readers to borrow meanwhile on a loaded machine (three threads on two cores): the core is
    occupied as the reading is handed over."""
    from assistant.cores import CORES

    handed_over: list[int] = []
    pool = kb4._readings

    class Recording:
        def submit(self, fn, *args):  # type: ignore[no-untyped-def]
            handed_over.append(CORES.in_use)
            return pool.submit(fn, *args)

    opened = kb4.handle(TurnRequest(message="养老2045 Y份额怎么买"))
    monkeypatch.setattr(kb4, "_readings", Recording())
    reply = kb4.handle(TurnRequest(message="管理费多少", session_id=opened.session_id))
    assert reply.route == "answered"
    assert handed_over == [2], handed_over  # the turn's core and the reading's
    assert CORES.in_use == 0


def _passage(pipeline, query: str, source: str):  # type: ignore[no-untyped-def]
    chunks = pipeline.c.retriever.search(query, top_k=10, mode="dense")
    return next(c for c in chunks if source in c.source)


FEE_TABLE = ("安盈短债管理费", "安盈短债")  # another fund's: 安盈短债's fee table
OWN = ("养老2045 Y类管理费", "养老2045")  # the conversation's fund's
THIRD = ("先锋成长管理费调低了吗", "FAQ")  # an FAQ line on a third fund's fee cut
GENERAL = ("密码忘了怎么办", "password")  # a passage about no fund


@pytest.mark.parametrize(
    ("message", "quoted", "changes"),
    [
        ("管理费多少", [FEE_TABLE], True),
        ("安盈短债管理费多少", [FEE_TABLE], False),  # the client's words point there
        ("管理费多少", [OWN], False),
        # the lead decides: this had passed as about no one fund, and 管理费多少 after
        # 养老2045 Y份额怎么买 was answered with 安盈短债's fee
        ("管理费多少", [FEE_TABLE, THIRD], True),
        ("管理费多少", [FEE_TABLE, GENERAL], False),  # a general rule quoted too: not a move
        ("管理费多少", [], False),
    ],
)
def test_an_answer_changes_fund_by_the_passage_it_leads_with(
    kb4, message: str, quoted: list[tuple[str, str]], changes: bool
) -> None:  # type: ignore[no-untyped-def]
    mentions = kb4.c.retriever.catalog.spot("养老2045 Y份额怎么买")
    chunks = [_passage(kb4, *q) for q in quoted]
    assert kb4._changes_fund(message, chunks, mentions) is changes
