"""The one settings class. Built once at the edge (CLI, app factory, test) and passed down.

Nothing else in the code reads the environment: tests build their own `Settings(...)`.
Nested groups are set with a double underscore, e.g. `FA_RETRIEVAL__TOP_K=8`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class RetrievalSettings(BaseModel):
    top_k: int = Field(5, ge=1, le=50, description="Chunks returned to the writer.")
    candidates: int = Field(
        30, ge=5, le=200, description="Candidates each mode contributes to fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    max_per_source: int = Field(
        3,
        ge=1,
        description="Results from one document at most, so five are not one file's five; a "
        "named fund's own document often needs three. Wrong answers at 2 / 3 / 4: first company "
        "9 / 9 / -, kb2 20 / 19 / -, kb4 55 / 50 / 51.",
    )
    fund_bonus: float = Field(
        1.0,
        ge=0,
        description="Added to a passage about the fund a question names, in units of a first "
        "rank's fusion score (half for a passage about it among other funds). Wrong answers at "
        "1.0 / 0.5 / 0.25: first company 9 / 10 / -, kb2 20 / 20 / 23, kb4 58 / 55 / 56 (noise).",
    )
    query_adapter: bool = Field(
        True,
        description="Rank dense search with the learned question adapter "
        "(prompts/query_adapter.v2.npy) when it fits the embedder.",
    )


class IngestSettings(BaseModel):
    embedding_threads: int = Field(
        2, ge=1, le=64, description="passages embedded at once in batch ingest (CLI, eval)."
    )
    max_file_mb: float = Field(20, gt=0, description="Larger files are refused, not ingested.")
    max_chunk_chars: int = Field(
        600, ge=100, le=4000, description="Target size of a section chunk."
    )


class GateSettings(BaseModel):
    min_confidence: float = Field(
        0.5, ge=0, le=1, description="Below this, hand off (only without an answerability model)."
    )
    min_support: float = Field(
        0.5,
        ge=0,
        le=1,
        description="An answer the passages support less than this (an LLM sentence no passage "
        "holds, a sentence the compliance rules removed) is handed off, however answerable.",
    )
    dense_floor: float = Field(0.80, description="e5 cosine at which retrieval counts as 0.")
    dense_ceiling: float = Field(0.90, description="e5 cosine at which retrieval counts as 1.")
    english_offset: float = Field(
        0.035,
        description="Added to an English question's e5 cosine: e5 scores English questions "
        "against our corpus lower (answerable dev questions, 5th percentile: en 0.834, zh 0.872).",
    )
    emotion_threshold: float = Field(
        0.5, ge=0, le=1, description="Anger or anxiety at least this strong is handed off."
    )


class ChatSettings(BaseModel):
    max_message_chars: int = Field(2000, ge=10, description="Longer messages are refused (413).")
    max_total_chars: int = Field(
        8000,
        ge=10,
        description="All messages of one /v1/chat/completions request together; past it 413.",
    )
    max_body_bytes: int = Field(
        65536, ge=1024, description="Request bodies larger than this are refused (413) while read."
    )
    rate_per_minute: int = Field(
        30,
        ge=0,
        description="Turns one session may start per minute; one address ten times that; 0: off.",
    )
    turn_threads: int = Field(
        16,
        ge=1,
        le=256,
        description="Turns computed at once; kept apart from the threads that serve reads.",
    )
    history_turns: int = Field(5, ge=0, le=20, description="Earlier turns used for follow-ups.")


class ReviewSettings(BaseModel):
    samples_per_day: int = Field(20, ge=0, description="Live replies sampled for review per day.")


class AnalyticsSettings(BaseModel):
    surge_baseline_days: int = Field(
        7, ge=1, description="Days of history a surge is judged against."
    )
    surge_factor: float = Field(
        3.0, gt=1, description="Today's count over the daily baseline that alerts."
    )
    surge_min_count: int = Field(5, ge=1, description="Fewer questions than this never alert.")


class RedactionSettings(BaseModel):
    allow_list: list[str] = Field(
        default_factory=lambda: ["12378"],
        description="Never masked: the regulator's 12378 and whatever is added here; the "
        "company's own hotlines, mailboxes and address come from its profile (FA_COMPANY_PROFILE).",
    )
    score_threshold: float = Field(0.4, ge=0, le=1, description="Minimum presidio score to mask.")


class WebSettings(BaseModel):
    session_secret: str | None = Field(
        None,
        description="Signs the staff session cookie. Unset: a new secret per process, so sign-ins "
        "end on restart; with several workers set it, or each worker refuses the others' cookies.",
    )
    session_max_age_s: int = Field(
        8 * 3600, ge=60, description="A staff sign-in expires this long after it was made."
    )
    https_only_cookie: bool = Field(
        False, description="Send the session cookie over HTTPS only (set it behind TLS)."
    )
    frame_ancestors: str = Field(
        "'self'",
        description="CSP frame-ancestors of the chat page: the sites that may embed it in an "
        "iframe, e.g. `'self' https://www.example.com`. Staff pages are never framed.",
    )
    poll_interval_ms: int = Field(
        2000, ge=500, le=5000, description="How often open pages look for hand-off news."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FA_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Field(Path("./data"), description="Embedded Chroma store and state database.")
    docs_dir: Path = Field(Path("./knowledge_docs"), description="Knowledge folder ingested.")
    company_profile: Path | None = Field(
        None,
        description="The company's contact facts (hotline, service hours, public contacts); "
        "unset: `company.yaml` in docs_dir if there is one.",
    )
    chroma_url: str | None = Field(
        None, description="A `chroma run` server instead of the embedded store."
    )
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite in data_dir if unset."
    )
    worker_ping_timeout_s: int = Field(
        30,
        ge=1,
        le=600,
        description="`serve --workers N`: how long the supervisor waits for a worker to answer "
        "its health ping before killing and restarting it. uvicorn's 5 s restarted busy workers "
        "on a loaded two-core machine, and a worker restarted that way, still importing, is not "
        "yet tied to the supervisor (it ties itself once its app starts).",
    )
    supervisor_pid: int | None = Field(
        None,
        description="Set by `serve --workers N` for its workers, not by hand: a worker ends "
        "when this process does (assistant/service/supervision.py).",
    )
    cores: int | None = Field(
        None,
        ge=1,
        le=1024,
        description="Cores this process's turns share (a turn borrows an idle one for its e5 "
        "readers, assistant/cores.py); unset: the cores the process may run on. `serve "
        "--workers N` sets it for its workers to those cores divided among them.",
    )
    embedding_threads: int = Field(
        1, ge=1, le=64, description="passages embedded at once in the service (a query: one)."
    )
    embedding: str = Field(
        "e5-small", description="`e5-small` or `sentence-transformers:<name or path>`."
    )
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint for the LLM writer."
    )
    llm_model: str | None = Field(None, description="Model name sent to the LLM endpoint.")
    llm_api_key: str | None = Field(None, description="API key for the LLM endpoint.")
    llm_timeout_s: float = Field(
        10.0,
        gt=0,
        description="The most one turn waits for the LLM, all its calls together, a trickle "
        "included; then the extractive writer answers.",
    )
    llm_max_tokens: int = Field(
        512, ge=16, le=8192, description="max_tokens sent with every LLM call."
    )
    llm_concurrency: int = Field(
        8, ge=1, le=256, description="LLM calls in flight at once in one process."
    )
    llm_breaker_failures: int = Field(
        5, ge=1, description="Consecutive LLM failures that open the circuit (LLM skipped)."
    )
    llm_breaker_reset_s: float = Field(
        30.0, gt=0, description="How long an open circuit skips the LLM before one trial call."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins whose pages may call the client API (comma-separated in the env).",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses of proxies whose X-Forwarded-For is believed (comma-separated); "
        "otherwise the peer address counts.",
    )
    content_security_policy: str = Field(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'",
        description="The Content-Security-Policy header on every response.",
    )
    spool_max_messages: int = Field(
        1000,
        ge=0,
        description="Client messages kept in FA_DATA_DIR/spool while the state database is "
        "down, written to it when it is back; 0 refuses instead.",
    )
    database_busy_timeout_s: float = Field(
        3.0,
        gt=0,
        description="How long a write waits for a locked SQLite database before the request "
        "gets 503 (and its message goes to the spool).",
    )
    database_pool_size: int = Field(
        10,
        ge=1,
        le=200,
        description="PostgreSQL connections one worker keeps open (and as many again on a "
        "burst); mind the server's max_connections times the workers.",
    )
    database_pool_timeout_s: float = Field(
        3.0,
        gt=0,
        description="How long a request waits for a free PostgreSQL connection, or for the "
        "server to accept a new one, before it gets 503 with Retry-After.",
    )
    database_statement_timeout_s: float = Field(
        10.0,
        gt=0,
        description="The longest one PostgreSQL statement may run (a server hanging mid-query, "
        "a lock never released): past it the request gets 503 instead of a hung worker. "
        "Schema migrations run without it.",
    )
    database_retry_after_s: int = Field(
        5, ge=1, description="Retry-After of a 503 while the state database is down."
    )
    api_keys: str | None = Field(
        None, description="Comma-separated role:token pairs for staff endpoints."
    )

    eval_dir: Path = Field(
        Path("./evals/runs"), description="Where `eval` writes runs; review reads them."
    )

    ingest: IngestSettings = Field(default_factory=IngestSettings)
    gate: GateSettings = Field(default_factory=GateSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    analytics: AnalyticsSettings = Field(default_factory=AnalyticsSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    web: WebSettings = Field(default_factory=WebSettings)

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
