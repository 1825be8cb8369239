"""The LLM writer: any OpenAI-compatible server (vLLM, Ollama, llama.cpp, a hosted API) through
`LlmClient` (one deadline per turn, max_tokens, a circuit breaker), with prompts from
prompts/llm/.

Its output is checked before anyone sees it: a citation that names no retrieved passage is
dropped and costs support; a sentence the passages do not support costs support; the gate turns
low support into a handoff. Errors and timeouts raise, and the pipeline falls back to the
extractive writer.
"""

from __future__ import annotations

import re

from assistant.grounding import is_supported
from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import ScoredChunk
from assistant.service.deadline import current_deadline
from assistant.settings import Settings
from assistant.text import split_sentences
from assistant.writers.base import WriteRequest, WrittenAnswer, cite
from assistant.writers.llm_client import LlmClient

_MARKER = re.compile(r"\s*[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
PASSAGES = 5
CONDENSE_TOKENS = 128  # one rewritten question


class LlmWriter:
    name = "llm"

    def __init__(self, settings: Settings, prompts: PromptLibrary) -> None:
        self.prompts = prompts
        self.llm = LlmClient(settings)
        self.timeout_s = settings.llm_timeout_s
        self.max_tokens = settings.llm_max_tokens

    def write(self, request: WriteRequest) -> WrittenAnswer:
        chunks = request.chunks[:PASSAGES]
        if not chunks:
            return WrittenAnswer(text="", writer=self.name, support=0.0, notes=["no passage"])
        system, system_version = self.prompts.template("system", request.language)
        name = "answer" if request.purpose == "answer" else "handoff_draft"
        template, version = self.prompts.template(name, request.language)
        user = template.format(
            passages=_numbered(chunks),
            question=request.question,
            emotion=request.emotion,
            reasons=", ".join(request.reasons) or "-",
        )
        content = self.llm.chat(
            [{"role": "system", "content": system}, {"role": "user", "content": user}],
            deadline=current_deadline(self.timeout_s),
            purpose=request.purpose,
            max_tokens=self.max_tokens,
        )
        return self._checked(content, chunks, f"{system_version}+{version}")

    def condense(self, question: str, history: list[str], language: str) -> str:
        template, _ = self.prompts.template("condense", language)
        prompt = template.format(history="\n".join(history[-3:]), question=question)
        text = self.llm.chat(
            [{"role": "user", "content": prompt}],
            deadline=current_deadline(self.timeout_s),
            purpose="condense",
            max_tokens=CONDENSE_TOKENS,
        ).strip()
        return text.splitlines()[0] if text else question

    def _checked(self, raw: str, chunks: list[ScoredChunk], version: str) -> WrittenAnswer:
        notes: list[str] = []
        used: dict[int, ScoredChunk] = {}
        sentences: list[str] = []
        supported = 0
        for sentence in split_sentences(raw):
            cited: list[int] = []
            for match in _MARKER.finditer(sentence):
                for number in re.split(r"\s*[,，、]\s*", match.group(1)):
                    index = int(number)
                    if 1 <= index <= len(chunks):
                        cited.append(index)
                    else:
                        notes.append(f"removed citation [{index}]: no such passage")
            plain = _MARKER.sub("", sentence).strip()
            if not plain:
                continue
            evidence = [chunks[i - 1].text for i in cited] or [c.text for c in chunks]
            if is_supported(plain, evidence):
                supported += 1
                for i in cited:
                    used.setdefault(i, chunks[i - 1])
            else:
                notes.append(f"unsupported sentence: {plain[:40]}")
            sentences.append(plain)
        dangling = sum(1 for n in notes if n.startswith("removed citation"))
        support = supported / len(sentences) if sentences else 0.0
        support = max(0.0, support - 0.2 * dangling)
        ordered = [used[i] for i in sorted(used)]
        return WrittenAnswer(
            text=_join(sentences),
            citations=[cite(c) for c in ordered],
            used_chunks=ordered,
            support=support,
            writer=self.name,
            prompt_version=version,
            notes=notes,
        )


def _numbered(chunks: list[ScoredChunk]) -> str:
    return "\n\n".join(
        f"[{i}] 《{c.title}》 {c.section or ''}\n{c.text}" for i, c in enumerate(chunks, start=1)
    )


def _join(sentences: list[str]) -> str:
    out = ""
    for sentence in sentences:
        if out and not ("\u4e00" <= out[-1] <= "\u9fff" or out[-1] in "。！？；"):
            out += " "
        out += sentence
    return out
