"""The asyncio client: the sync client's surface, awaited; streams are async iterators of the same events."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any, BinaryIO, Optional, Union

import httpx

from ._http import AsyncTransport
from .client import _id, _upload_parts
from .errors import AiHubError, ConnectionError
from .events import AskEvent, DocumentEvent, Done, FinalAnswers, ask_event
from .sse import aread_events
from .stream import AnswerFolder

Json = dict[str, Any]


async def _pages(t: AsyncTransport, path: str, params: Json) -> AsyncIterator[Json]:
    cursor = None
    while True:
        page = await t.json("GET", path, params={**params, "cursor": cursor})
        for item in page["data"]:
            yield item
        cursor = page.get("next_cursor")
        if not cursor:
            return


class AsyncAskStream:
    """``async for event in stream``, or ``await stream.final_answers()``; one consumer."""

    def __init__(self, response: httpx.Response):
        self._response = response
        self._consumed = False
        self.message_id: Optional[str] = response.headers.get("x-message-id")

    async def __aiter__(self) -> AsyncIterator[AskEvent]:
        if self._consumed:
            raise RuntimeError("This answer stream was already read; ask again for another.")
        self._consumed = True
        saw_done = False
        try:
            async for name, data in aread_events(self._response.aiter_lines()):
                event = ask_event(name, data)
                if event is None:
                    continue
                saw_done = saw_done or isinstance(event, Done)
                yield event
        except httpx.TransportError as err:
            raise ConnectionError(f"the answer stream broke: {err}") from err
        finally:
            await self._response.aclose()
        if not saw_done:
            raise ConnectionError("the answer stream ended before its done event")

    async def final_answers(self) -> FinalAnswers:
        folder = AnswerFolder()
        async for event in self:
            folder.add(event)
        return folder.result()

    async def aclose(self) -> None:
        await self._response.aclose()


class _KnowledgeBases:
    def __init__(self, t: AsyncTransport):
        self._t = t

    async def create(self, name: str, **fields: Any) -> Json:
        return await self._t.json("POST", "/v1/knowledge-bases", json={"name": name, **fields})

    async def get(self, kb_id: str) -> Json:
        return await self._t.json("GET", f"/v1/knowledge-bases/{_id(kb_id)}")

    async def update(self, kb_id: str, **fields: Any) -> Json:
        return await self._t.json("PATCH", f"/v1/knowledge-bases/{_id(kb_id)}", json=fields)

    async def delete(self, kb_id: str) -> Json:
        return await self._t.json("DELETE", f"/v1/knowledge-bases/{_id(kb_id)}")

    def list(self, limit: int = 50) -> AsyncIterator[Json]:
        return _pages(self._t, "/v1/knowledge-bases", {"limit": limit})


class _Documents:
    def __init__(self, t: AsyncTransport):
        self._t = t

    async def upload(
        self,
        kb_id: str,
        file: Union[str, os.PathLike, bytes, BinaryIO],
        *,
        filename: Optional[str] = None,
        metadata: Optional[Json] = None,
        external_id: Optional[str] = None,
    ) -> Json:
        files, data = _upload_parts(file, filename, metadata, external_id)
        return await self._t.json("POST", f"/v1/knowledge-bases/{_id(kb_id)}/documents", files=files, data=data)

    async def get(self, document_id: str) -> Json:
        return await self._t.json("GET", f"/v1/documents/{_id(document_id)}")

    async def delete(self, document_id: str) -> Json:
        return await self._t.json("DELETE", f"/v1/documents/{_id(document_id)}")

    def list(self, kb_id: str, *, status: Optional[str] = None, limit: int = 50) -> AsyncIterator[Json]:
        return _pages(self._t, f"/v1/knowledge-bases/{_id(kb_id)}/documents", {"status": status, "limit": limit})

    async def events(self, document_id: str) -> AsyncIterator[DocumentEvent]:
        response = await self._t.send("GET", f"/v1/documents/{_id(document_id)}/events", stream=True)
        try:
            async for name, data in aread_events(response.aiter_lines()):
                yield DocumentEvent(type=name, document=data)
        finally:
            await response.aclose()

    async def wait_until_ready(self, document_id: str) -> Json:
        async for event in self.events(document_id):
            if event.type == "ready":
                return event.document
            if event.type in ("failed", "deleted"):
                detail = event.document.get("error") if event.type == "failed" else "the document was deleted"
                raise AiHubError(422, {"code": "ingestion_failed", "detail": f"Document {document_id}: {detail}"})
        return await self.get(document_id)


class _Conversations:
    def __init__(self, t: AsyncTransport):
        self._t = t

    async def create(self, knowledge_base_ids: list[str], **fields: Any) -> Json:
        body = {"knowledge_base_ids": knowledge_base_ids, **fields}
        return await self._t.json("POST", "/v1/conversations", json=body)

    async def get(self, conversation_id: str) -> Json:
        return await self._t.json("GET", f"/v1/conversations/{_id(conversation_id)}")

    async def send(self, conversation_id: str, question: str, **fields: Any) -> AsyncAskStream:
        body = {"question": question, **fields, "stream": True}
        path = f"/v1/conversations/{_id(conversation_id)}/messages"
        return AsyncAskStream(await self._t.send("POST", path, json=body, stream=True))


class _Usage:
    def __init__(self, t: AsyncTransport):
        self._t = t

    async def get(self, **params: Any) -> Json:
        return await self._t.json("GET", "/v1/usage", params=params)


class _Keys:
    def __init__(self, t: AsyncTransport):
        self._t = t

    async def list(self) -> Json:
        return await self._t.json("GET", "/v1/keys")

    async def create(self, name: str, **fields: Any) -> Json:
        return await self._t.json("POST", "/v1/keys", json={"name": name, **fields})

    async def revoke(self, key_id: str) -> None:
        await (await self._t.send("DELETE", f"/v1/keys/{_id(key_id)}")).aclose()


class AsyncAiHub:
    """``async with AsyncAiHub(base_url, api_key) as hub: ...``"""

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        max_retries: int = 2,
        timeout: float = 60.0,
        http_client: Optional[httpx.AsyncClient] = None,
    ):
        base_url = base_url or os.environ.get("AIHUB_BASE_URL")
        api_key = api_key or os.environ.get("AIHUB_API_KEY")
        if not base_url or not api_key:
            raise ValueError("pass base_url and api_key, or set AIHUB_BASE_URL and AIHUB_API_KEY")
        self._t = AsyncTransport(base_url, api_key, max_retries=max_retries, timeout=timeout, http_client=http_client)
        self.knowledge_bases = _KnowledgeBases(self._t)
        self.documents = _Documents(self._t)
        self.conversations = _Conversations(self._t)
        self.usage = _Usage(self._t)
        self.keys = _Keys(self._t)

    async def search(self, query: str, knowledge_base_ids: list[str], **fields: Any) -> Json:
        body = {"query": query, "knowledge_base_ids": knowledge_base_ids, **fields}
        return await self._t.json("POST", "/v1/search", json=body)

    async def ask(self, question: str, knowledge_base_ids: list[str], **fields: Any) -> AsyncAskStream:
        body = {"question": question, "knowledge_base_ids": knowledge_base_ids, **fields, "stream": True}
        return AsyncAskStream(await self._t.send("POST", "/v1/ask", json=body, stream=True))

    async def aclose(self) -> None:
        await self._t.close()

    async def __aenter__(self) -> "AsyncAiHub":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
