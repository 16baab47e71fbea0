"""The typed events of an answer (/v1/ask and conversation messages) and of a document's ingestion.

Field names follow the OpenAPI components AskSource, AskUsage, AskError and AskDone;
tests/test_types.py fails when the server's document and these classes disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Optional, Union


def _build(cls: Any, data: dict[str, Any]) -> Any:
    # Unknown (newer) fields are dropped so an older SDK keeps working against a newer server.
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Source:
    n: int
    chunk_id: str
    knowledge_base_id: str
    document_id: str
    document_version_id: str
    title: str
    page_start: Optional[int]
    page_end: Optional[int]
    heading_path: list[str]
    char_start: int
    char_end: int
    score: float
    text: str


@dataclass
class Sources:
    sources: list[Source]
    type: str = "sources"


@dataclass
class Delta:
    model: str
    text: str
    type: str = "delta"


@dataclass
class Usage:
    model: str
    status: str
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    usage_source: str
    cost_micros: int
    cost_usd: str
    latency_ms: int
    ttft_ms: Optional[int]
    # What the organization is charged (cost x its plan's markup); equal to the cost without billing.
    charge_micros: int = 0
    charge_usd: str = "0.000000"
    type: str = "usage"


@dataclass
class ModelError:
    model: str
    code: str
    message: str
    type: str = "error"


@dataclass
class Done:
    models: list[dict[str, Any]]
    answerable: bool
    input_tokens: int
    output_tokens: int
    embedding_tokens: int
    cost_micros: int
    cost_usd: str
    latency_ms: int
    type: str = "done"


AskEvent = Union[Sources, Delta, Usage, ModelError, Done]


def ask_event(name: str, data: dict[str, Any]) -> Optional[AskEvent]:
    """One SSE event as its dataclass; None for event types this SDK does not know yet."""
    if name == "sources":
        return Sources(sources=[_build(Source, s) for s in data["sources"]])
    if name == "delta":
        return _build(Delta, data)
    if name == "usage":
        return _build(Usage, data)
    if name == "error":
        return _build(ModelError, data)
    if name == "done":
        return _build(Done, data)
    return None


@dataclass
class DocumentEvent:
    """``progress`` while ingesting, then ``ready`` or ``failed`` (``document`` is the Document), or ``deleted``."""

    type: str
    document: dict[str, Any]


@dataclass
class Answer:
    model: str
    text: str
    usage: Optional[Usage]
    error: Optional[ModelError]
    citations: list[int]
    answerable: bool


@dataclass
class FinalAnswers:
    sources: list[Source]
    answers: list[Answer]
    done: Done
    #: The sources the answers cite, with their pages, in number order.
    cited: list[Source] = field(default_factory=list)
