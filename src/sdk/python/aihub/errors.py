"""Typed exceptions: every non-2xx answer carries the API's problem fields."""
from __future__ import annotations

from typing import Any, Optional


class AiHubError(Exception):
    """A problem+json answer: branch on ``code`` (``not_found``, ``validation_failed``...), not on text."""

    def __init__(self, status: int, problem: dict[str, Any], retry_after: Optional[float] = None):
        self.status = status
        self.problem = problem
        self.code: str = problem.get("code") or "error"
        self.detail: str = problem.get("detail") or problem.get("title") or f"HTTP {status}"
        self.request_id: Optional[str] = problem.get("request_id") or problem.get("requestId")
        # Validation failures name each field: [{"field": "query", "message": "..."}].
        self.errors: list[dict[str, str]] = problem.get("errors") or []
        self.retry_after = retry_after
        super().__init__(f"{status} {self.code}: {self.detail}")


class NotFoundError(AiHubError):
    pass


class AuthenticationError(AiHubError):
    pass


class ValidationError(AiHubError):
    pass


class RateLimitError(AiHubError):
    pass


class ConnectionError(Exception):  # noqa: A001 - the SDK's own, distinct from the builtin
    """The server could not be reached, or a stream ended early, after the retries ran out."""


def error_for(status: int, problem: dict[str, Any], retry_after: Optional[float]) -> AiHubError:
    cls = {400: ValidationError, 401: AuthenticationError, 404: NotFoundError, 429: RateLimitError}.get(
        status, AiHubError
    )
    return cls(status, problem, retry_after)
