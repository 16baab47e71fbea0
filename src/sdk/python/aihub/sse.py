"""Server-Sent Events from an httpx response: the API sends ``event: <type>`` and one JSON ``data`` line."""
from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any


def read_events(lines: Iterable[str]) -> Iterator[tuple[str, Any]]:
    event, data = "message", []
    for line in lines:
        # httpx 0.23 keeps the line ending, newer versions strip it.
        line = line.rstrip("\r\n")
        if not line:
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        # Comments (": keep-alive") and id: lines carry nothing the client needs.
    if data:
        yield event, json.loads("\n".join(data))


async def aread_events(lines: AsyncIterable[str]) -> AsyncIterator[tuple[str, Any]]:
    """``read_events`` for an async line source (httpx.AsyncClient streams)."""
    buffered: list[str] = []
    async for line in lines:
        buffered.append(line)
        if not line.rstrip("\r\n"):
            for event in read_events(buffered):
                yield event
            buffered = []
    for event in read_events(buffered):
        yield event
