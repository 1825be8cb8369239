"""The LLM writer against a small OpenAI-compatible server started by the test (an LLM cannot
run here); our own code is not patched."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline


class StubLlm:
    """Answers /v1/chat/completions with `content`, after `delay` seconds, or with `status`."""

    def __init__(self) -> None:
        self.content = ""
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict[str, object]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                stub.requests.append(body)
                time.sleep(stub.delay)
                payload = {
                    "id": "stub",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": stub.content},
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(payload).encode() if stub.status == 200 else b'{"error": "boom"}'
                self.send_response(stub.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> StubLlm:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def llm_pipeline(components) -> Iterator[tuple[AssistantPipeline, StubLlm]]:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from assistant.writers.llm import LlmWriter

    with StubLlm() as stub:
        settings = components.settings.model_copy(
            update={"llm_base_url": stub.url, "llm_model": "stub-model", "llm_timeout_s": 2.0}
        )
        llm_components = replace(components, writer=LlmWriter(settings, components.prompts))
        yield AssistantPipeline(llm_components), stub


def test_llm_answer_is_checked_citations_and_support(llm_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline, stub = llm_pipeline
    stub.content = "领先成长C类份额不收取申购费[1]。领先成长C类每年收取0.60%的销售服务费[1]。"
    reply = pipeline.handle(TurnRequest(message="领先成长C类收申购费吗"))
    assert stub.requests and stub.requests[0]["model"] == "stub-model"
    prompt = json.dumps(stub.requests[0]["messages"], ensure_ascii=False)
    assert "[1]" in prompt and "参考资料" in prompt
    assert reply.explanation is not None and reply.explanation.writer == "llm"
    assert reply.route == "answered", (reply.reasons, reply.explanation.confidence_parts)
    assert "[1]" not in reply.answer and "0.60%" in reply.answer
    assert reply.citations


def test_dangling_citation_and_unsupported_sentence_lower_confidence(llm_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline, stub = llm_pipeline
    stub.content = "领先成长C类份额不收取申购费[1]。持有满一年可获得8.8%的保底收益[7]。"
    reply = pipeline.handle(TurnRequest(message="领先成长C类收申购费吗"))
    assert reply.explanation is not None
    notes = " ".join(reply.explanation.compliance)
    assert "removed citation [7]" in notes and "unsupported sentence" in notes
    assert "保底" not in reply.answer or reply.route == "handoff"
    assert reply.confidence < 0.6, reply.explanation.confidence_parts


def test_llm_error_falls_back_to_extractive(llm_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline, stub = llm_pipeline
    stub.status = 500
    reply = pipeline.handle(TurnRequest(message="纯债C类赎回费怎么收"))
    assert reply.explanation is not None and reply.explanation.writer == "extractive"
    assert any("fallback" in n for n in reply.explanation.compliance)
    assert reply.answer


def test_llm_timeout_falls_back_to_extractive(llm_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline, stub = llm_pipeline
    stub.delay = 3.0  # past the 2 s timeout
    reply = pipeline.handle(TurnRequest(message="纯债C类赎回费怎么收"))
    assert reply.explanation is not None and reply.explanation.writer == "extractive"


def test_a_crisis_is_never_sent_to_the_llm(llm_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline, stub = llm_pipeline
    reply = pipeline.handle(TurnRequest(message="基金亏了一半，我真的不想活了"))
    assert reply.route == "handoff" and reply.reasons[0] == "crisis"
    assert stub.requests == []
