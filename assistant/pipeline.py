"""One chat turn, top to bottom: redact → understand → retrieve → write → check → judge → gate.
A short message that only its shortness tied to the turn before is taken both ways (retrieve
to judge run for each reading, side by side) and the gate gets the reading the pair reader is
surer of.

Redaction comes first: from there on only the masked text exists, so no retriever, LLM, table
or log line ever sees what the client typed. Each step returns a small typed result and the
next step reads only that; `handle` shows the order, the steps below it show what each does.
The explanation (scores, evidence, versions) is built before the Reply, which carries it.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

from assistant.answerability import Answerability, QuestionContext
from assistant.asking_back import fund_choices, suggestions_for
from assistant.compliance import ComplianceResult
from assistant.components import Components
from assistant.confidence_gate import GateDecision
from assistant.cores import CORES
from assistant.coverage import UncoveredTopic
from assistant.followup import FollowUpResolver
from assistant.fund_names import unknown_fund_names
from assistant.funds import Fund, FundCatalog, FundMention, classes_in_question
from assistant.handoff_draft import draft_reply, holding_message
from assistant.models import Emotion, Explanation, RedactionSpan, Reply, TurnRequest
from assistant.redaction.redactor import RedactionResult
from assistant.retrieval.hybrid import ScoredChunk, without_fund_names
from assistant.retrieval.tokenizer import tokenize
from assistant.service.guards import guarded_search
from assistant.understanding import Understanding
from assistant.vocabulary import Language
from assistant.writers.base import WriteRequest, WrittenAnswer
from assistant.writers.passage_ranker import term_share

log = logging.getLogger(__name__)

SIDE_READERS = 2  # second readings run beside their turn's first at once, at most


@dataclass(frozen=True)
class Opened:
    """Step 1: the masked message and the session it belongs to."""

    redaction: RedactionResult
    session_id: str
    risk_level: str | None
    previous: list[str]  # earlier masked questions of the session, newest last

    @property
    def text(self) -> str:
        return self.redaction.text


@dataclass(frozen=True)
class Understood:
    """Step 2: what the client asks, how they feel, and what they name."""

    understanding: Understanding
    standalone: str  # the question rewritten to stand alone (a follow-up's earlier context)
    mentions: list[FundMention]
    unknown_codes: list[str]  # six-digit codes given that no live document knows
    unknown_names: list[str]  # fund-like names no live document writes (brand or not)
    fund: Fund | None = None
    # The message read alone, when only its shortness carried the earlier context onto it:
    # the turn keeps whichever reading the answerability model is surer of.
    alone: Understood | None = None

    @property
    def language(self) -> Language:
        return self.understanding.language

    @property
    def crisis_in_words(self) -> bool:
        crisis = self.understanding.signal("crisis")
        return crisis is not None and crisis.in_words


@dataclass(frozen=True)
class Retrieved:
    """Step 3: the passages, the topics no document covers, the reasons known already, and the
    questions to suggest if the gate asks back."""

    chunks: list[ScoredChunk]
    uncovered: list[UncoveredTopic]
    escalations: list[str]
    suggestions: list[str]
    fund_choices: list[str]  # the question asked of each fund, when it names none of several


@dataclass(frozen=True)
class Checked:
    """Steps 4–5: what the writer wrote, after the compliance rules."""

    written: WrittenAnswer
    compliance: ComplianceResult
    support: float  # share of the answer the passages support, less what the rules removed
    doc_types: list[str]
    fund: Fund | None  # the fund the answer is about: named, or the best passage's


# Steps 3–6 for one reading of the message (`AssistantPipeline.attempt`).
Reading = tuple[Retrieved, Checked, Answerability | None]


class AssistantPipeline:
    def __init__(self, components: Components) -> None:
        self.c = components
        self.messages = components.prompts.rules("messages")
        self.followups = FollowUpResolver()
        # A message read both ways runs its second reading here, beside the first: the two are
        # independent and each is mostly the pair reader's onnxruntime runs, which release the
        # GIL, so on a free core the turn waits for the slower reading, not for both. The CPU a
        # turn costs is the same. kb4's conversations' later turns, in process, p95 88.8 / 91.6
        # / 97.7 ms read in turn, 72.2 / 77.7 / 73.6 side by side (interleaved runs). A reading
        # never waits in a queue: with every reader busy (a loaded server, whose cores are
        # busy anyway) the turn reads its second reading itself. A reading aside runs whether
        # or not a core is idle (with an LLM writer it mostly waits for the LLM), and occupies
        # one while it runs (`assistant/cores.py`).
        self._readings = ThreadPoolExecutor(SIDE_READERS, thread_name_prefix="reading")
        self._free_readers = threading.BoundedSemaphore(SIDE_READERS)

    def close(self) -> None:
        """Stop the side readers once no turn is running (the service's shutdown). A turn
        handled after this reads both readings itself."""
        self._readings.shutdown(wait=True)

    @CORES.occupied()  # what the turn may borrow for its readers is what other turns leave idle
    def handle(self, request: TurnRequest) -> Reply:
        started = time.perf_counter()
        opened = self.open(request)  # the raw message is not used after this line
        understood = self.understand(opened, request)
        second = None if understood.alone is None else self._read_aside(opened, understood.alone)
        retrieved, checked, judged = self.attempt(opened, understood)
        if understood.alone is not None:  # a short message read both ways: the surer one
            other = self.attempt(opened, understood.alone) if second is None else second.result()
            if self._alone_wins(opened.text, understood, (retrieved, checked, judged), other):
                understood, (retrieved, checked, judged) = understood.alone, other
        down = checked.written.service_down  # the LLM is down: an agent answers
        decision = self.c.gate.decide(
            chunks=retrieved.chunks,
            support=checked.support,
            escalations=retrieved.escalations or (["low_confidence"] if down else []),
            language=understood.language,
            judged=judged,
            can_ask_back=bool(retrieved.suggestions) and not down,
            ask_which_fund=bool(retrieved.fund_choices) and not down,
        )
        explanation = self.explain(understood, retrieved, checked, judged, decision, started)
        reply = self.reply(opened, understood, retrieved, checked, decision, explanation)
        self.record(reply, opened, understood, retrieved, decision.priority)
        return reply

    # --- the steps ---------------------------------------------------------------------------

    def open(self, request: TurnRequest) -> Opened:
        """Redact, then open (or continue) the session."""
        redaction = self.c.redactor.redact(request.message)
        session_id, risk_level = self.c.conversations.open_session(
            request.session_id, risk_level=request.risk_level, channel=request.channel
        )
        previous = self.c.conversations.previous_queries(
            session_id, self.c.settings.chat.history_turns
        ) or [self.c.redactor.redact(earlier).text for earlier in request.history]
        risk_level = risk_level or self.c.compliance.stated_level(
            [redaction.text, *reversed(previous)]
        )
        return Opened(redaction, session_id, risk_level, previous)

    def understand(self, opened: Opened, request: TurnRequest) -> Understood:
        """Intent, emotion and signals; the follow-up made to stand alone; the funds named."""
        self.c.retriever.refresh_if_stale()
        catalog = self.c.retriever.catalog
        spotted = catalog.spot(opened.text)
        # A fund or a fund manager the live documents name: the message is about our business.
        names_ours = bool(spotted or self.c.redactor.public_names_in(opened.text))
        understanding = self.c.understander.understand(
            opened.text, history=opened.previous, names_ours=names_ours
        )
        # An English name no document writes (the advanced manufacturing fund): the fund's own
        # name goes beside it, so the search, the fund checks and the next turn read it named.
        # The message's own first: naming its fund so, it stands alone as one naming it in
        # Chinese does ("how long does it take … from the advanced manufacturing fund?" had
        # carried the fund before on its "it"); else the question the follow-up rules made.
        english = understanding.language == "en"
        named = catalog.translated(opened.text) if english else None
        message = opened.text if named is None else f"{opened.text} ({named.name})"
        standalone, alone = self._standalone(
            message, opened.previous, catalog, understanding.language
        )
        translated = catalog.translated(standalone) if english and named is None else None
        if translated is not None:
            standalone = f"{standalone} ({translated.name})"
        unknown_codes = [
            code
            for code in catalog.unknown_codes(opened.text)
            if code not in catalog.mentioned_codes
        ]

        def reading(query: str, alone: Understood | None = None) -> Understood:
            mentions = spotted if query == opened.text else catalog.spot(query)
            return Understood(
                understanding=understanding,
                standalone=query,
                mentions=mentions,
                unknown_codes=unknown_codes,
                unknown_names=unknown_fund_names(catalog, query, self.c.retriever.terms),
                fund=mentions[0].fund if len(mentions) == 1 else None,
                alone=alone,
            )

        return reading(standalone, reading(alone) if alone is not None else None)

    def attempt(self, opened: Opened, understood: Understood) -> Reading:
        """Steps 3–6 for one reading of the message: retrieve, write, check, judge."""
        retrieved = self.retrieve(opened, understood)
        checked = self.write_and_check(opened, understood, retrieved)
        return retrieved, checked, self.judge(understood, retrieved, checked)

    def _read_aside(self, opened: Opened, understood: Understood) -> Future[Reading] | None:
        """`attempt` for `understood` on a free side reader, in this turn's context (its LLM
        deadline); None when every reader is busy. The reading occupies a core from the moment
        it is handed over, so the turn's own readers, running meanwhile, do not borrow it
        (`assistant/cores.py`): occupied only once its thread started, a loaded machine let
        the turn borrow first, three threads on two cores."""
        if not self._free_readers.acquire(blocking=False):
            return None
        core = ExitStack()
        core.enter_context(CORES.occupied())

        def read() -> Reading:
            try:
                with core:
                    return self.attempt(opened, understood)
            finally:
                self._free_readers.release()

        try:
            return self._readings.submit(contextvars.copy_context().run, read)
        except RuntimeError:  # the pool is shut down (the process is ending): read it here
            core.close()
            self._free_readers.release()
            return None

    def retrieve(self, opened: Opened, understood: Understood) -> Retrieved:
        """Passages for the standalone question, and the reasons known before writing."""
        uncovered = self.c.coverage.uncovered(understood.standalone, self.c.retriever.mentions)
        if not understood.mentions:
            # A fund code no live document knows: another company's fund, or one of ours the
            # documents do not cover. Either way no passage of ours is about it.
            uncovered += [
                UncoveredTopic(topic="fund_code", term=c) for c in understood.unknown_codes
            ]
        # A fund by a name no live document writes (青岚短债C, 恒生科技指数基金): no passage is about it.
        uncovered += [UncoveredTopic(topic="fund_name", term=n) for n in understood.unknown_names]
        # A share class the named fund does not have (纯债E类, 货币C类): no passage is about it,
        # and the passage about another class of the fund would be quoted as its answer.
        # A currency class it lacks (港币份额, 美元C类) likewise.
        uncovered += [
            UncoveredTopic(
                topic="share_class", term=f"{m.fund.name} {m.currency or ''}{m.share_class or ''}"
            )
            for m in understood.mentions
            if (m.share_class or m.currency) and m.fund.offers(m.share_class, m.currency) is False
        ]
        chunks = guarded_search(self.c.retriever, understood.standalone, own_words=opened.text)
        escalations = self.c.gate.escalations(understood.understanding, uncovered)
        suggestions = suggestions_for(understood.standalone, chunks)
        catalog = self.c.retriever.catalog
        # No fund to ask about: one is named (or one we lack), or the company itself is.
        named = understood.mentions or uncovered or catalog.names_company(understood.standalone)
        choices = (
            []
            if named
            else fund_choices(understood.standalone, chunks, catalog, understood.language)
        )
        return Retrieved(chunks, uncovered, escalations, suggestions, choices)

    def write_and_check(
        self, opened: Opened, understood: Understood, retrieved: Retrieved
    ) -> Checked:
        """The writer's text (an answer, or a draft when a person must answer), then the
        compliance rules on it; sentences the rules remove cost confidence."""
        fund = understood.fund or self._fund_of_passages(understood, retrieved.chunks)
        written = self.c.write(
            WriteRequest(
                question=understood.standalone,
                language=understood.language,
                chunks=retrieved.chunks,
                fund=fund,
                share_class=self._class_asked(understood),
                asked_of_fund=self._asked_of_fund(understood),
                history=opened.previous,
                purpose="draft" if retrieved.escalations else "answer",
                reasons=retrieved.escalations,
                emotion=understood.understanding.emotion.label,
            )
        )
        doc_types = [str(c.metadata.get("doc_type")) for c in written.used_chunks]
        compliance = self.c.compliance.check(
            written.text,
            language=understood.language,
            intent=understood.understanding.intent,
            doc_types=doc_types,
            fund=fund,
            client_level=opened.risk_level,
        )
        support = written.support * (0.5 if compliance.removed else 1.0)
        if not compliance.text.strip():
            support = 0.0
        return Checked(written, compliance, support, doc_types, fund)

    def judge(
        self, understood: Understood, retrieved: Retrieved, checked: Checked
    ) -> Answerability | None:
        """The chance that the quoted passage answers this question (None: no model yet)."""
        context = self.question_context(understood)
        return self.c.gate.judge(context, retrieved.chunks, checked.written, self.c.retriever.terms)

    def question_context(self, understood: Understood) -> QuestionContext:
        """What the answerability features read besides the passages."""
        return QuestionContext(
            question=understood.standalone,
            language=understood.language,
            mentions=understood.mentions,
            unknown_codes=understood.unknown_codes,
            english_offset=self.c.settings.gate.english_offset,
        )

    def explain(
        self,
        understood: Understood,
        retrieved: Retrieved,
        checked: Checked,
        judged: Answerability | None,
        decision: GateDecision,
        started: float,
    ) -> Explanation:
        understanding = understood.understanding
        evidence = {
            "intent": [e.text for e in understanding.intent_evidence],
            "emotion": [e.text for e in understanding.emotion.evidence],
        }
        for signal in understanding.signals:
            evidence[signal.name] = [e.text for e in signal.evidence]
        if retrieved.uncovered:  # named, and no live document mentions it
            evidence["uncovered"] = [f"{u.term} ({u.topic})" for u in retrieved.uncovered]
        if understood.unknown_codes:
            evidence["unknown_fund_codes"] = list(understood.unknown_codes)
        if judged is not None:
            evidence["answerability"] = [f"{k}={v}" for k, v in judged.features.items()]
        written = checked.written
        return Explanation(
            standalone_query=understood.standalone,
            retrieval=[
                {
                    "source": c.source,
                    "section": c.section,
                    "score": round(c.score, 4),
                    "dense": c.dense_similarity,
                    "bm25": c.bm25_score,
                }
                for c in retrieved.chunks
            ],
            confidence_parts=decision.parts,
            evidence=evidence,
            compliance=checked.compliance.notes + written.notes,
            writer=written.writer,
            prompt_version=written.prompt_version,
            rules_version="; ".join(
                v
                for v in (
                    self.c.compliance.version,
                    understanding.rules_version,
                    self.c.coverage.version,
                    self.c.retriever.adapter.version if self.c.retriever.adapter else "",
                )
                if v
            ),
            answerability_version=judged.version if judged else "",
            mode=decision.mode,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def reply(
        self,
        opened: Opened,
        understood: Understood,
        retrieved: Retrieved,
        checked: Checked,
        decision: GateDecision,
        explanation: Explanation,
    ) -> Reply:
        language = understood.language
        compliance = checked.compliance
        answer, draft, citations, disclaimer, suggestions = "", None, [], None, []
        suitability = None
        if decision.mode == "answer":
            answer = _compose(
                compliance.text, compliance.suitability_warning, compliance.disclaimer
            )
            citations = checked.written.citations if checked.written.text else []
            disclaimer = compliance.disclaimer
            suitability = compliance.suitability_warning
        elif decision.mode == "ask_back" and retrieved.fund_choices:
            suggestions = retrieved.fund_choices
            answer = self.messages["ask_fund"][language]
        elif decision.mode == "ask_back":
            suggestions = retrieved.suggestions
            answer = self.messages["ask_back"][language]
        elif decision.mode == "decline":
            answer = self.messages["off_topic"][language]
        else:
            answer = holding_message(
                self.messages,
                self.c.company,
                priority=decision.priority,
                language=language,
                reasons=decision.reasons,
                crisis_in_words=understood.crisis_in_words,
            )
            draft = self._draft(opened, understood, checked, decision)
        emotion = understood.understanding.emotion
        return Reply(
            session_id=opened.session_id,
            message_id=uuid.uuid4().hex,
            route=decision.route,
            answer=answer,
            draft=draft,
            handoff_id=uuid.uuid4().hex if decision.route == "handoff" else None,
            intent=understood.understanding.intent,
            emotion=Emotion(label=emotion.label, score=emotion.score),
            confidence=decision.confidence,
            reasons=decision.reasons,
            citations=citations,
            disclaimer=disclaimer,
            suitability_notice=suitability,
            redactions=[
                RedactionSpan(entity_type=r.entity_type, start=r.start, end=r.end)
                for r in opened.redaction.redactions
            ],
            language=language,
            suggestions=suggestions,
            explanation=explanation,
        )

    def record(
        self,
        reply: Reply,
        opened: Opened,
        understood: Understood,
        retrieved: Retrieved,
        priority: int,
    ) -> None:
        self.c.conversations.record_turn(
            reply=reply,
            client_text=opened.text,
            standalone_query=understood.standalone,
            handoff_priority=priority,
            audit=_audit(reply, opened.text, understood.standalone, retrieved.chunks),
        )
        assert reply.explanation is not None
        log.info(
            "turn session=%s route=%s reasons=%s confidence=%.2f ms=%.1f",
            reply.session_id,
            reply.route,
            ",".join(reply.reasons),
            reply.confidence,
            reply.explanation.latency_ms,
        )

    # --- steps' helpers ---------------------------------------------------------------------

    def _standalone(
        self, text: str, previous: list[str], catalog: FundCatalog, language: str
    ) -> tuple[str, str | None]:
        """The follow-up rewritten to stand alone: by the LLM if one is configured, by rules
        otherwise or if it fails; and the message alone as a second reading when only its
        shortness carried the earlier context."""
        if not previous:
            return text, None
        condense = getattr(self.c.writer, "condense", None)
        if condense is not None and self.followups.is_follow_up(text):
            try:
                return str(condense(text, previous, language)) or text, None
            except Exception as exc:
                log.warning("condensation failed (%s); rules instead", type(exc).__name__)
        resolved = self.followups.resolve(text, previous[-1], catalog)
        if resolved == text or self.followups.marked(text):
            return resolved, None
        # Carried for being short, which a new question (周末有人工吗 after a fund's fee) shares
        # with a follow-up (我就放一年 哪个省 after 纯债A和C有啥区别): carried only if the
        # documents answer the carried question more closely than the message alone, and then
        # still read both ways (`Understood.alone`). The carried query's vector is reused by
        # the search that follows.
        # Alone, a passage about another fund than the one carried answers it closest
        # (基金经理是谁 after 全球医疗风险等级多少: another fund's manager-change notice): the
        # client did not change funds without naming one, so it is read both ways too.
        carried, alone = self._closest(resolved), self._closest(text)
        if _similarity(carried) > _similarity(alone) or (
            alone is not None and self._changes_fund(text, [alone], catalog.spot(resolved))
        ):
            return resolved, text
        return text, None

    def _alone_wins(
        self, text: str, understood: Understood, carried: Reading, alone: Reading
    ) -> bool:
        """Whether the message read alone answers it, not the conversation's earlier question
        carried onto it. Not when alone it would ask which fund. When alone it would lead with
        another fund's passage than the conversation's, its own words decide: the client stayed
        if the conversation's fund's quote holds as many of them (管理费多少 after 养老2045
        Y份额怎么买) and moved if it holds fewer (跟踪误差多少 after 养老2045风险等级多少: the
        index fund's tracking error; 扣款失败会补扣吗 after a QDII fund's risk level: the savings
        plan's handbook). Otherwise the surer reading. Mid-conversation right / wrong, dev, when
        the guard came in: kb7 566 / 201 -> 584 / 185, kb6 762 / 189 -> 766 / 186."""
        assert understood.alone is not None
        if alone[0].fund_choices:
            return False
        if self._changes_fund(
            understood.alone.standalone, alone[1].written.used_chunks, understood.mentions
        ):
            return _words_held(text, alone[1]) > _words_held(text, carried[1])
        return self._surer(alone, carried)

    @staticmethod
    def _surer(
        reading: Reading,
        than: Reading,
    ) -> bool:
        """At least as sure an answer. With the pair reader in the passage ranker, by its
        score of each reading's quote with that reading's question: it had read both pairs
        already, and it tells the two readings apart better than the answerability model did
        (kb4 mid-conversation 678 / 82 -> 686 / 67 right / wrong, kb2 525 / 47 -> 531 / 39,
        dev and in-sample for the reader; "身份证过期了还能赎回吗" after a fund's fee question
        read alone again). Otherwise by the gate's confidence (the answerability model's chance
        that the quote is right, times the share of the answer the passages support), which
        closer passages alone had beaten (kb4 608 -> 624 right, 145 -> 131 wrong). Without
        either, the carried reading stands."""
        (_, checked, judged), (_, than_checked, than_judged) = reading, than
        read, than_read = checked.written.read_score, than_checked.written.read_score
        if read is not None and than_read is not None:
            return read >= than_read
        if judged is None or than_judged is None:
            return False
        return (
            judged.probability * checked.support >= than_judged.probability * than_checked.support
        )

    def _changes_fund(
        self, text: str, chunks: list[ScoredChunk], mentions: list[FundMention]
    ) -> bool:
        """The answer from `chunks` leads with a passage about one fund, not one the
        conversation named (`mentions`), quotes no passage about no fund (a general rule), and
        the message's own words do not point to that fund (no word of its names, no currency
        only it has, no fund manager): answering from them would change funds for the client,
        who did not (管理费多少 after 养老2045 Y份额怎么买, answered from another fund's fee-cut
        notice). The lead decides which fund: its fee table quoted before an FAQ line on a
        third fund's fee cut had passed as about no one fund."""
        catalog = self.c.retriever.catalog
        if not mentions or not chunks or any(not c.about_funds for c in chunks):
            return False
        lead = chunks[0]
        fund = catalog.fund_of(lead.about_funds)
        if fund is None or any(m.fund.codes == fund.codes for m in mentions):
            return False
        # about it, not naming it in passing: its file name or heading names it (its notice, its
        # product page), unlike the trading rules' passage whose example is one fund
        headed = any(
            m.fund.codes == fund.codes for m in catalog.spot(f"{lead.source} {lead.heading}")
        )
        return (
            headed
            and not catalog.pointed_to(text, fund)
            and not self.c.redactor.public_names_in(text)
        )

    def _closest(self, query: str) -> ScoredChunk | None:
        """The passage most similar to `query` by e5 (None if there is none)."""
        chunks = self.c.retriever.search(query, top_k=3, mode="dense")
        return max(chunks, key=_similarity, default=None)

    @staticmethod
    def _asked_of_fund(understood: Understood) -> str | None:
        """The question without the names of the fund it names; None if it names none or
        nothing else."""
        rest = without_fund_names(understood.standalone, understood.mentions)
        return " ".join(rest.split()) if understood.mentions and rest.strip() else None

    @staticmethod
    def _class_asked(understood: Understood) -> str | None:
        """The one share class the question asks about, as the search reads it: its one fund's,
        or one named with no fund (qdii美元c有申购费吗)."""
        asked = classes_in_question(understood.mentions, understood.standalone)
        return next(iter(asked)) if len(asked) == 1 and len(understood.mentions) <= 1 else None

    def _fund_of_passages(self, understood: Understood, chunks: list[ScoredChunk]) -> Fund | None:
        """With no fund named, the one the best passage is about (for the disclosure)."""
        if not understood.mentions and chunks and len(chunks[0].fund_codes) in (1, 2):
            return self.c.retriever.catalog.by_code(chunks[0].fund_codes[0])
        return None

    def _draft(
        self, opened: Opened, understood: Understood, checked: Checked, decision: GateDecision
    ) -> str:
        written = checked.written
        language = understood.language
        crisis = "crisis" in decision.reasons
        if written.writer == "llm" and written.text and written.support >= 0.5 and not crisis:
            text = written.text  # the LLM wrote it as a draft, opener included
        else:
            text = draft_reply(
                self.messages,
                written,
                reasons=list(decision.reasons),
                emotion=understood.understanding.emotion.label,
                language=language,
            )
        if crisis:
            return text  # fixed wording about the person, not a fund: nothing to disclose
        checked_draft = self.c.compliance.check(
            text,
            language=language,
            intent=understood.understanding.intent,
            doc_types=checked.doc_types,
            fund=checked.fund,
            client_level=opened.risk_level,
        )
        return _compose(
            checked_draft.text, checked_draft.suitability_warning, checked_draft.disclaimer
        )


def _words_held(text: str, checked: Checked) -> float:
    """Share of the client's own words that the quote, with its headings, holds."""
    written = checked.written
    headings = " ".join(c.heading for c in written.used_chunks)
    return term_share(set(tokenize(text)), f"{written.text} {headings}")


def _similarity(chunk: ScoredChunk | None) -> float:
    return (chunk.dense_similarity or 0.0) if chunk is not None else 0.0


def _audit(
    reply: Reply, text: str, standalone: str, chunks: list[ScoredChunk]
) -> dict[str, object]:
    explanation = reply.explanation
    assert explanation is not None
    return {
        "question": text,
        "standalone_query": standalone,
        "sources": [{"source": c.source, "section": c.section} for c in chunks],
        "citations": [c.source for c in reply.citations],
        "writer": explanation.writer,
        "prompt_version": explanation.prompt_version,
        "rules_version": explanation.rules_version,
        "answerability_version": explanation.answerability_version,
        "mode": explanation.mode,
        "confidence": reply.confidence,
        "route": reply.route,
        "reasons": list(reply.reasons),
        "intent": reply.intent,
        "emotion": reply.emotion.model_dump(),
        "language": reply.language,
        "redactions": [r.entity_type for r in reply.redactions],
        "disclaimer": reply.disclaimer is not None,
        "latency_ms": explanation.latency_ms,
    }


def _compose(text: str, warning: str | None, disclaimer: str | None) -> str:
    return "\n\n".join(part for part in (text, warning, disclaimer) if part)


__all__ = ["AssistantPipeline"]
