"""The suite runs against a live server: AIHUB_BASE_URL, AIHUB_API_KEY (an admin key of a tenant) and
AIHUB_SAMPLE_PDF (a PDF to ingest). test/integration/sdk-python.test.ts starts one and sets them."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from aihub import AiHub  # noqa: E402


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set; these tests need a live server", returncode=2)
    return value


@pytest.fixture(scope="session")
def base_url() -> str:
    return _env("AIHUB_BASE_URL")


@pytest.fixture(scope="session")
def api_key() -> str:
    return _env("AIHUB_API_KEY")


@pytest.fixture(scope="session")
def sample_pdf() -> str:
    return _env("AIHUB_SAMPLE_PDF")


@pytest.fixture(scope="session")
def hub(base_url, api_key):
    with AiHub(base_url, api_key) as client:
        yield client


@pytest.fixture(scope="session")
def paper(hub, sample_pdf):
    """A knowledge base holding the sample PDF, ingested: {"kb_id", "document_id"}."""
    kb = hub.knowledge_bases.create("Python SDK papers")
    accepted = hub.documents.upload(kb["id"], sample_pdf, metadata={"kind": "paper"})
    ready = hub.documents.wait_until_ready(accepted["id"])
    assert ready["status"] == "ready"
    return {"kb_id": kb["id"], "document_id": accepted["id"]}
