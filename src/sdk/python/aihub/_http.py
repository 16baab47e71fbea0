"""One place for requests: the key, retries with back-off that honour Retry-After, and typed errors."""
from __future__ import annotations

import asyncio
import email.utils
import random
import time
from typing import Any, Optional

import httpx

from .errors import ConnectionError, error_for

# Not 502: the API answers 502 when a model failed, and a retry would be billed again.
RETRYABLE = {408, 429, 503, 504}


def _retry_after(response: httpx.Response) -> Optional[float]:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _backoff(attempt: int) -> float:
    return min(0.5 * 2**attempt, 8.0) * (0.75 + random.random() / 2)


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        problem = response.json()
    except ValueError:
        problem = {"detail": response.text}
    return problem if isinstance(problem, dict) else {}


class Transport:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        max_retries: int = 2,
        timeout: float = 60.0,
        http_client: Optional[httpx.Client] = None,
        max_retry_delay: float = 20.0,
    ):
        self.max_retries = max_retries
        self.max_retry_delay = max_retry_delay
        self.client = http_client or httpx.Client(timeout=timeout)
        self.base_url = base_url.rstrip("/")
        self.headers = {"authorization": f"Bearer {api_key}"}

    def send(self, method: str, path: str, *, stream: bool = False, **kwargs: Any) -> httpx.Response:
        """The successful response (left open when ``stream``), after retrying what is safe to retry."""
        params = {k: v for k, v in (kwargs.pop("params", None) or {}).items() if v is not None}
        headers = {**self.headers, **kwargs.pop("headers", {})}
        attempt = 0
        while True:
            request = self.client.build_request(
                method, self.base_url + path, params=params, headers=headers, **kwargs
            )
            try:
                response = self.client.send(request, stream=stream)
            except httpx.TransportError as err:
                if attempt >= self.max_retries:
                    raise ConnectionError(f"{method} {path} failed: {err}") from err
                time.sleep(_backoff(attempt))
                attempt += 1
                continue
            if response.is_success:
                return response
            wait = _retry_after(response)
            if response.status_code in RETRYABLE and attempt < self.max_retries:
                response.close()
                time.sleep(min(wait if wait is not None else _backoff(attempt), self.max_retry_delay))
                attempt += 1
                continue
            response.read()
            response.close()
            raise error_for(response.status_code, _problem(response), wait)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.send(method, path, **kwargs)
        return response.json() if response.content else None

    def close(self) -> None:
        self.client.close()


class AsyncTransport:
    """``Transport`` for asyncio: the same retries, back-off and errors over httpx.AsyncClient."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        max_retries: int = 2,
        timeout: float = 60.0,
        http_client: Optional[httpx.AsyncClient] = None,
        max_retry_delay: float = 20.0,
    ):
        self.max_retries = max_retries
        self.max_retry_delay = max_retry_delay
        self.client = http_client or httpx.AsyncClient(timeout=timeout)
        self.base_url = base_url.rstrip("/")
        self.headers = {"authorization": f"Bearer {api_key}"}

    async def send(self, method: str, path: str, *, stream: bool = False, **kwargs: Any) -> httpx.Response:
        params = {k: v for k, v in (kwargs.pop("params", None) or {}).items() if v is not None}
        headers = {**self.headers, **kwargs.pop("headers", {})}
        attempt = 0
        while True:
            request = self.client.build_request(
                method, self.base_url + path, params=params, headers=headers, **kwargs
            )
            try:
                response = await self.client.send(request, stream=stream)
            except httpx.TransportError as err:
                if attempt >= self.max_retries:
                    raise ConnectionError(f"{method} {path} failed: {err}") from err
                await asyncio.sleep(_backoff(attempt))
                attempt += 1
                continue
            if response.is_success:
                return response
            wait = _retry_after(response)
            if response.status_code in RETRYABLE and attempt < self.max_retries:
                await response.aclose()
                await asyncio.sleep(min(wait if wait is not None else _backoff(attempt), self.max_retry_delay))
                attempt += 1
                continue
            await response.aread()
            await response.aclose()
            raise error_for(response.status_code, _problem(response), wait)

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.send(method, path, **kwargs)
        return response.json() if response.content else None

    async def close(self) -> None:
        await self.client.aclose()
