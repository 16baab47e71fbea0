import httpx
import pytest

from aihub import (
    AiHub,
    AuthenticationError,
    Delta,
    Done,
    NotFoundError,
    Sources,
    Usage,
    ValidationError,
)


def test_knowledge_bases_round_trip_and_paging(hub):
    kb = hub.knowledge_bases.create("Scratch")
    assert hub.knowledge_bases.get(kb["id"])["name"] == "Scratch"
    assert hub.knowledge_bases.update(kb["id"], name="Scratch 2")["name"] == "Scratch 2"
    # limit=1 makes the iterator follow next_cursor across pages.
    names = [k["name"] for k in hub.knowledge_bases.list(limit=1)]
    assert "Scratch 2" in names and len(names) >= 2
    hub.knowledge_bases.delete(kb["id"])
    with pytest.raises(NotFoundError):
        hub.knowledge_bases.get(kb["id"])


def test_upload_lists_and_searches_with_pages(hub, paper):
    assert [d["id"] for d in hub.documents.list(paper["kb_id"])] == [paper["document_id"]]
    found = hub.search("trace tree", [paper["kb_id"]], top_k=3)
    assert found["data"][0]["document_id"] == paper["document_id"]
    assert isinstance(found["data"][0]["page_start"], int)


def test_ask_streams_typed_events(hub, paper):
    events = list(hub.ask("What is a trace tree?", [paper["kb_id"]]))
    assert isinstance(events[0], Sources)
    assert isinstance(events[-1], Done)
    assert any(isinstance(e, Usage) for e in events)
    text = "".join(e.text for e in events if isinstance(e, Delta))
    assert "[" in text and events[-1].cost_usd.count(".") == 1


def test_final_answers_cite_pages(hub, paper):
    result = hub.ask("What is a trace tree?", [paper["kb_id"]]).final_answers()
    assert result.answers[0].text
    assert result.cited, "the answer cites at least one source"
    assert all(isinstance(s.page_start, int) and s.document_id == paper["document_id"] for s in result.cited)


def test_conversation_follow_up(hub, paper):
    conversation = hub.conversations.create([paper["kb_id"]])
    first = hub.conversations.send(conversation["id"], "What is a trace tree?")
    assert first.message_id
    assert first.final_answers().answers[0].text
    follow_up = "".join(hub.conversations.send(conversation["id"], "And nested loops?").text_stream())
    assert follow_up
    stored = hub.conversations.get(conversation["id"])
    assert stored["conversation"]["message_count"] == 4


def test_usage_and_keys(hub, base_url, paper):
    assert hub.usage.get(group_by="model")["data"]
    created = hub.keys.create("bot", scopes=["query"])
    assert created["id"] in [k["id"] for k in hub.keys.list()["data"]]
    hub.keys.revoke(created["id"])
    with AiHub(base_url, created["key"], max_retries=0) as revoked:
        with pytest.raises(AuthenticationError) as err:
            revoked.knowledge_bases.get(paper["kb_id"])
    assert err.value.status == 401


def test_errors_carry_problem_fields(hub, paper):
    with pytest.raises(NotFoundError) as missing:
        hub.documents.get("doc_missing")
    assert missing.value.code == "not_found"
    assert missing.value.request_id.startswith("req_")
    with pytest.raises(ValidationError) as invalid:
        hub.search("", [paper["kb_id"]])
    assert "query" in [e["field"] for e in invalid.value.errors]


class _RateLimitedOnce(httpx.HTTPTransport):
    """Answers the first request with 429 and Retry-After: 0; every later one goes to the server."""

    calls = 0

    def handle_request(self, request):
        self.calls += 1
        if self.calls == 1:
            return httpx.Response(429, headers={"retry-after": "0"}, json={"code": "rate_limited"})
        return super().handle_request(request)


def test_retries_after_retry_after(base_url, api_key, paper):
    transport = _RateLimitedOnce()
    with AiHub(base_url, api_key, http_client=httpx.Client(transport=transport)) as hub:
        assert hub.knowledge_bases.get(paper["kb_id"])["id"] == paper["kb_id"]
    assert transport.calls == 2
