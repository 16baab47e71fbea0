"""AI Hub's Python SDK: ``from aihub import AiHub``."""
from .async_client import AsyncAiHub, AsyncAskStream
from .client import AiHub
from .errors import (
    AiHubError,
    AuthenticationError,
    ConnectionError,
    NotFoundError,
    RateLimitError,
    ValidationError,
)
from .events import Answer, AskEvent, Delta, DocumentEvent, Done, FinalAnswers, ModelError, Source, Sources, Usage
from .stream import AskStream

__all__ = [
    "AiHub",
    "AiHubError",
    "Answer",
    "AskEvent",
    "AskStream",
    "AsyncAiHub",
    "AsyncAskStream",
    "AuthenticationError",
    "ConnectionError",
    "Delta",
    "DocumentEvent",
    "Done",
    "FinalAnswers",
    "ModelError",
    "NotFoundError",
    "RateLimitError",
    "Source",
    "Sources",
    "Usage",
    "ValidationError",
]
