"""One chat turn, top to bottom: redact → understand → retrieve → write → check → gate.

Redaction comes first: from there on only the masked text exists, so no retriever, LLM, table
or log line ever sees what the client typed. Each step is its own module with a small typed
interface; this file only shows the order and what flows between them.
"""

from __future__ import annotations

import logging
import time
import uuid

from assistant.components import Components
from assistant.confidence_gate import GateDecision
from assistant.coverage import UncoveredTopic
from assistant.followup import FollowUpResolver
from assistant.funds import Fund, FundCatalog, FundMention
from assistant.handoff_draft import draft_reply, holding_message
from assistant.models import Emotion, Explanation, RedactionSpan, Reply, TurnRequest
from assistant.retrieval.hybrid import ScoredChunk
from assistant.understanding import Understanding
from assistant.writers.base import WriteRequest, WrittenAnswer

log = logging.getLogger(__name__)


class AssistantPipeline:
    def __init__(self, components: Components) -> None:
        self.c = components
        self.messages = components.prompts.rules("messages")
        self.followups = FollowUpResolver()

    def handle(self, request: TurnRequest) -> Reply:
        started = time.perf_counter()

        # 1. Redact. The raw message is not used after this line.
        redaction = self.c.redactor.redact(request.message)
        text = redaction.text
        session_id, risk_level = self.c.conversations.open_session(
            request.session_id, risk_level=request.risk_level, channel=request.channel
        )

        # 2. Understand: resolve a follow-up against earlier turns; intent, emotion, signals.
        previous = self.c.conversations.previous_queries(
            session_id, self.c.settings.chat.history_turns
        ) or [self.c.redactor.redact(earlier).text for earlier in request.history]
        risk_level = risk_level or self.c.compliance.stated_level([text, *reversed(previous)])
        self.c.retriever.refresh_if_stale()
        catalog = self.c.retriever.catalog
        understanding = self.c.understander.understand(text, history=previous)
        language = understanding.language
        standalone = self._standalone(text, previous, catalog, language)
        uncovered = self.c.coverage.uncovered(standalone, self.c.retriever.mentions)

        # 3. Retrieve.
        chunks = self.c.retriever.search(standalone, own_words=text)
        escalations = self.c.gate.escalations(understanding, uncovered, chunks, language)
        mentions = catalog.spot(standalone)
        fund = self._fund_in_question(mentions, chunks)

        # 4. Write.
        written = self._write(
            WriteRequest(
                question=standalone,
                language=language,
                chunks=chunks,
                fund=fund,
                share_class=mentions[0].share_class if len(mentions) == 1 else None,
                history=previous,
                purpose="draft" if escalations else "answer",
                reasons=escalations,
                emotion=understanding.emotion.label,
            )
        )

        # 5. Check: compliance rules on the final text; removed sentences cost confidence.
        doc_types = [str(c.metadata.get("doc_type")) for c in written.used_chunks]
        checked = self.c.compliance.check(
            written.text,
            language=language,
            intent=understanding.intent,
            doc_types=doc_types,
            fund=fund,
            client_level=risk_level,
        )
        support = written.support * (0.5 if checked.removed else 1.0)
        if not checked.text.strip():
            support = 0.0

        # 6. Gate: answer, or hand off with a drafted reply.
        decision = self.c.gate.decide(
            chunks=chunks, support=support, escalations=escalations, language=language
        )
        if decision.route == "answered":
            answer = _compose(checked.text, checked.suitability_warning, checked.disclaimer)
            draft = None
        else:
            answer = holding_message(self.messages, priority=decision.priority, language=language)
            draft = self._draft(
                written,
                decision,
                understanding.emotion.label,
                language,
                understanding.intent,
                doc_types,
                fund,
                risk_level,
            )

        reply = Reply(
            session_id=session_id,
            message_id=uuid.uuid4().hex,
            route=decision.route,
            answer=answer,
            draft=draft,
            handoff_id=uuid.uuid4().hex if decision.route == "handoff" else None,
            intent=understanding.intent,
            emotion=Emotion(label=understanding.emotion.label, score=understanding.emotion.score),
            confidence=decision.confidence,
            reasons=decision.reasons,
            citations=written.citations if written.text else [],
            disclaimer=checked.disclaimer,
            redactions=[
                RedactionSpan(entity_type=r.entity_type, start=r.start, end=r.end)
                for r in redaction.redactions
            ],
            language=language,
        )
        reply.explanation = self._explain(
            standalone, chunks, decision, understanding, uncovered, written, checked.notes, started
        )
        self.c.conversations.record_turn(
            reply=reply,
            client_text=text,
            standalone_query=standalone,
            handoff_priority=decision.priority,
            audit=self._audit(reply, text, standalone, chunks),
        )
        log.info(
            "turn session=%s route=%s reasons=%s confidence=%.2f ms=%.1f",
            session_id,
            reply.route,
            ",".join(reply.reasons),
            reply.confidence,
            reply.explanation.latency_ms,
        )
        return reply

    # --- steps' helpers ---------------------------------------------------------------------

    def _standalone(
        self, text: str, previous: list[str], catalog: FundCatalog, language: str
    ) -> str:
        """The follow-up rewritten to stand alone: by the LLM if one is configured, by rules
        otherwise or if it fails."""
        if not previous:
            return text
        condense = getattr(self.c.writer, "condense", None)
        if condense is not None and self.followups.is_follow_up(text):
            try:
                return str(condense(text, previous, language)) or text
            except Exception as exc:
                log.warning("condensation failed (%s); rules instead", type(exc).__name__)
        return self.followups.resolve(text, previous[-1], catalog)

    def _fund_in_question(
        self, mentions: list[FundMention], chunks: list[ScoredChunk]
    ) -> Fund | None:
        """The one product the question is about, if it is about one."""
        if len(mentions) == 1:
            return mentions[0].fund
        if not mentions and chunks and len(chunks[0].fund_codes) in (1, 2):
            return self.c.retriever.catalog.by_code(chunks[0].fund_codes[0])
        return None

    def _write(self, request: WriteRequest) -> WrittenAnswer:
        """The configured writer; the extractive one if it fails (an LLM down or slow)."""
        try:
            return self.c.writer.write(request)
        except Exception as exc:
            log.warning(
                "writer %s failed (%s); extractive fallback", self.c.writer.name, type(exc).__name__
            )
            written = self.c.fallback_writer.write(request)
            written.notes.append(f"fallback after {self.c.writer.name} error")
            return written

    def _draft(
        self,
        written: WrittenAnswer,
        decision: GateDecision,
        emotion: str,
        language: str,
        intent: str,
        doc_types: list[str],
        fund: Fund | None,
        risk_level: str | None,
    ) -> str:
        if written.writer == "llm" and written.text and written.support >= 0.5:
            text = written.text  # the LLM wrote it as a draft, opener included
        else:
            text = draft_reply(
                self.messages,
                written,
                reasons=list(decision.reasons),
                emotion=emotion,
                language=language,
            )
        checked = self.c.compliance.check(
            text,
            language=language,
            intent=intent,
            doc_types=doc_types,
            fund=fund,
            client_level=risk_level,
        )
        return _compose(checked.text, checked.suitability_warning, checked.disclaimer)

    def _explain(
        self,
        standalone: str,
        chunks: list[ScoredChunk],
        decision: GateDecision,
        understanding: Understanding,
        uncovered: list[UncoveredTopic],
        written: WrittenAnswer,
        notes: list[str],
        started: float,
    ) -> Explanation:
        evidence = {
            "intent": [e.text for e in understanding.intent_evidence],
            "emotion": [e.text for e in understanding.emotion.evidence],
        }
        for signal in understanding.signals:
            evidence[signal.name] = [e.text for e in signal.evidence]
        if uncovered:  # named, and no live document mentions it
            evidence["uncovered"] = [f"{u.term} ({u.topic})" for u in uncovered]
        return Explanation(
            standalone_query=standalone,
            retrieval=[
                {
                    "source": c.source,
                    "section": c.section,
                    "score": round(c.score, 4),
                    "dense": c.dense_similarity,
                    "bm25": c.bm25_score,
                }
                for c in chunks
            ],
            confidence_parts=decision.parts,
            evidence=evidence,
            compliance=notes + written.notes,
            writer=written.writer,
            prompt_version=written.prompt_version,
            rules_version=(
                f"{self.c.compliance.version}; {understanding.rules_version}; "
                f"{self.c.coverage.version}"
            ),
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    @staticmethod
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
