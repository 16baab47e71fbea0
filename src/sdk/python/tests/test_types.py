"""The event dataclasses against the server's own OpenAPI document: a renamed or added field fails here."""
from dataclasses import fields

import httpx
import pytest

from aihub import Done, ModelError, Source, Usage


@pytest.mark.parametrize(
    ("cls", "component"),
    [(Source, "AskSource"), (Usage, "AskUsage"), (ModelError, "AskError"), (Done, "AskDone")],
)
def test_event_fields_match_openapi(base_url, cls, component):
    doc = httpx.get(f"{base_url}/openapi.json").json()
    schema = doc["components"]["schemas"][component]
    # Nullable components are emitted as anyOf [object, null].
    for option in schema.get("anyOf", [schema]):
        if "properties" in option:
            schema = option
    ours = {f.name for f in fields(cls)} - {"type"}
    assert ours == set(schema["properties"]), f"{cls.__name__} differs from {component}"
