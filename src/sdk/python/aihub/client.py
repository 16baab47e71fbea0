"""The sync client: knowledge bases, documents, search, ask, conversations, usage and keys."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any, BinaryIO, Optional, Union
from urllib.parse import quote

import httpx

from ._http import Transport
from .errors import AiHubError
from .events import DocumentEvent
from .sse import read_events
from .stream import AskStream

Json = dict[str, Any]


def _pages(transport: Transport, path: str, params: Json) -> Iterator[Json]:
    """Every item of a cursor-paged list, fetching the next page when the last is used up."""
    cursor = None
    while True:
        page = transport.json("GET", path, params={**params, "cursor": cursor})
        yield from page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


def _id(value: str) -> str:
    return quote(value, safe="")


def _upload_parts(
    file: Union[str, os.PathLike, bytes, BinaryIO],
    filename: Optional[str],
    metadata: Optional[Json],
    external_id: Optional[str],
) -> tuple[Json, Json]:
    """The multipart fields of an upload. Bytes, not the open file, so a retry can send the body again."""
    if isinstance(file, (str, os.PathLike)):
        filename = filename or os.path.basename(os.fspath(file))
        with open(file, "rb") as f:
            content = f.read()
    elif isinstance(file, bytes):
        content = file
    else:
        filename = filename or os.path.basename(getattr(file, "name", "") or "")
        content = file.read()
    if not filename:
        raise ValueError("documents.upload: pass filename= with bytes or an unnamed file object")
    data: Json = {}
    if metadata is not None:
        data["metadata"] = json.dumps(metadata)
    if external_id is not None:
        data["external_id"] = external_id
    return {"file": (filename, content)}, data


class KnowledgeBases:
    def __init__(self, t: Transport):
        self._t = t

    def create(self, name: str, **fields: Any) -> Json:
        return self._t.json("POST", "/v1/knowledge-bases", json={"name": name, **fields})

    def get(self, kb_id: str) -> Json:
        return self._t.json("GET", f"/v1/knowledge-bases/{_id(kb_id)}")

    def update(self, kb_id: str, **fields: Any) -> Json:
        return self._t.json("PATCH", f"/v1/knowledge-bases/{_id(kb_id)}", json=fields)

    def delete(self, kb_id: str) -> Json:
        return self._t.json("DELETE", f"/v1/knowledge-bases/{_id(kb_id)}")

    def list(self, limit: int = 50) -> Iterator[Json]:
        return _pages(self._t, "/v1/knowledge-bases", {"limit": limit})


class Documents:
    def __init__(self, t: Transport):
        self._t = t

    def upload(
        self,
        kb_id: str,
        file: Union[str, os.PathLike, bytes, BinaryIO],
        *,
        filename: Optional[str] = None,
        metadata: Optional[Json] = None,
        external_id: Optional[str] = None,
    ) -> Json:
        """Queues a file (a path, bytes or a binary file object) for ingestion; answers at once."""
        files, data = _upload_parts(file, filename, metadata, external_id)
        return self._t.json("POST", f"/v1/knowledge-bases/{_id(kb_id)}/documents", files=files, data=data)

    def get(self, document_id: str) -> Json:
        return self._t.json("GET", f"/v1/documents/{_id(document_id)}")

    def delete(self, document_id: str) -> Json:
        return self._t.json("DELETE", f"/v1/documents/{_id(document_id)}")

    def list(self, kb_id: str, *, status: Optional[str] = None, limit: int = 50) -> Iterator[Json]:
        return _pages(self._t, f"/v1/knowledge-bases/{_id(kb_id)}/documents", {"status": status, "limit": limit})

    def events(self, document_id: str) -> Iterator[DocumentEvent]:
        """Progress events until the document is ready, failed or deleted."""
        response = self._t.send("GET", f"/v1/documents/{_id(document_id)}/events", stream=True)
        try:
            for name, data in read_events(response.iter_lines()):
                yield DocumentEvent(type=name, document=data)
        finally:
            response.close()

    def wait_until_ready(self, document_id: str, timeout: float = 600.0) -> Json:
        """Follows the events stream until the document is ready; raises AiHubError if ingestion fails."""
        for event in self.events(document_id):
            if event.type == "ready":
                return event.document
            if event.type in ("failed", "deleted"):
                detail = event.document.get("error") if event.type == "failed" else "the document was deleted"
                raise AiHubError(422, {"code": "ingestion_failed", "detail": f"Document {document_id}: {detail}"})
        return self.get(document_id)


class Conversations:
    def __init__(self, t: Transport):
        self._t = t

    def create(self, knowledge_base_ids: list[str], **fields: Any) -> Json:
        return self._t.json("POST", "/v1/conversations", json={"knowledge_base_ids": knowledge_base_ids, **fields})

    def get(self, conversation_id: str) -> Json:
        return self._t.json("GET", f"/v1/conversations/{_id(conversation_id)}")

    def send(self, conversation_id: str, question: str, **fields: Any) -> AskStream:
        """The next question, streamed like ``ask``; follow-ups are rewritten into standalone queries."""
        body = {"question": question, **fields, "stream": True}
        path = f"/v1/conversations/{_id(conversation_id)}/messages"
        return AskStream(self._t.send("POST", path, json=body, stream=True))


class Usage:
    def __init__(self, t: Transport):
        self._t = t

    def get(self, **params: Any) -> Json:
        return self._t.json("GET", "/v1/usage", params=params)


class Keys:
    def __init__(self, t: Transport):
        self._t = t

    def list(self) -> Json:
        return self._t.json("GET", "/v1/keys")

    def create(self, name: str, **fields: Any) -> Json:
        return self._t.json("POST", "/v1/keys", json={"name": name, **fields})

    def revoke(self, key_id: str) -> None:
        self._t.send("DELETE", f"/v1/keys/{_id(key_id)}").close()


class AiHub:
    """``AiHub(base_url="http://localhost:8787", api_key="aih_...")``; use as a context manager to close."""

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        max_retries: int = 2,
        timeout: float = 60.0,
        http_client: Optional[httpx.Client] = None,
    ):
        base_url = base_url or os.environ.get("AIHUB_BASE_URL")
        api_key = api_key or os.environ.get("AIHUB_API_KEY")
        if not base_url or not api_key:
            raise ValueError("pass base_url and api_key, or set AIHUB_BASE_URL and AIHUB_API_KEY")
        self._t = Transport(base_url, api_key, max_retries=max_retries, timeout=timeout, http_client=http_client)
        self.knowledge_bases = KnowledgeBases(self._t)
        self.documents = Documents(self._t)
        self.conversations = Conversations(self._t)
        self.usage = Usage(self._t)
        self.keys = Keys(self._t)

    def search(self, query: str, knowledge_base_ids: list[str], **fields: Any) -> Json:
        """Hybrid retrieval: the best chunks with their documents and pages."""
        return self._t.json("POST", "/v1/search", json={"query": query, "knowledge_base_ids": knowledge_base_ids, **fields})

    def ask(self, question: str, knowledge_base_ids: list[str], **fields: Any) -> AskStream:
        """A grounded answer, streamed: iterate the typed events, or call ``.final_answers()``."""
        body = {"question": question, "knowledge_base_ids": knowledge_base_ids, **fields, "stream": True}
        return AskStream(self._t.send("POST", "/v1/ask", json=body, stream=True))

    def close(self) -> None:
        self._t.close()

    def __enter__(self) -> "AiHub":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
