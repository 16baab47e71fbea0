"""The asyncio client over the same server (pytest-asyncio is not in Debian's set, so asyncio.run)."""
import asyncio

import pytest

from aihub import AsyncAiHub, Delta, Done, NotFoundError, Sources


def test_async_ask_conversation_and_paging(base_url, api_key, paper):
    async def scenario():
        async with AsyncAiHub(base_url, api_key) as hub:
            names = [kb["name"] async for kb in hub.knowledge_bases.list(limit=1)]
            assert "Python SDK papers" in names
            docs = [d["id"] async for d in hub.documents.list(paper["kb_id"])]
            assert docs == [paper["document_id"]]

            events = [e async for e in await hub.ask("What is a trace tree?", [paper["kb_id"]])]
            assert isinstance(events[0], Sources) and isinstance(events[-1], Done)
            assert "".join(e.text for e in events if isinstance(e, Delta))

            result = await (await hub.ask("What is a trace tree?", [paper["kb_id"]])).final_answers()
            assert result.cited and all(isinstance(s.page_start, int) for s in result.cited)

            conversation = await hub.conversations.create([paper["kb_id"]])
            turn = await hub.conversations.send(conversation["id"], "What is a trace tree?")
            assert (await turn.final_answers()).answers[0].text

            with pytest.raises(NotFoundError):
                await hub.documents.get("doc_missing")

    asyncio.run(scenario())


def test_async_upload_waits_until_ready(base_url, api_key, sample_pdf):
    async def scenario():
        async with AsyncAiHub(base_url, api_key) as hub:
            kb = await hub.knowledge_bases.create("Async uploads")
            with open(sample_pdf, "rb") as f:
                accepted = await hub.documents.upload(kb["id"], f.read(), filename="again.pdf")
            ready = await hub.documents.wait_until_ready(accepted["id"])
            assert ready["status"] == "ready" and ready["filename"] == "again.pdf"
            await hub.knowledge_bases.delete(kb["id"])

    asyncio.run(scenario())
