"""Upload a PDF, wait until it is searchable, and stream a grounded answer with its pages.

    AIHUB_BASE_URL=http://localhost:8787 AIHUB_API_KEY=aih_... python3 ask_a_pdf.py paper.pdf "What is a trace tree?"

CI runs this against a live server (tests/test_examples.py), so it cannot rot.
"""
import sys

from aihub import AiHub, Delta, Done, Sources

pdf = sys.argv[1] if len(sys.argv) > 1 else "paper.pdf"
question = sys.argv[2] if len(sys.argv) > 2 else "What is a trace tree?"

with AiHub() as hub:  # reads AIHUB_BASE_URL and AIHUB_API_KEY
    kb = hub.knowledge_bases.create("Papers")
    doc = hub.documents.upload(kb["id"], pdf)
    hub.documents.wait_until_ready(doc["id"])

    for event in hub.ask(question, [kb["id"]]):
        if isinstance(event, Sources):
            print(f"({len(event.sources)} sources found)")
        elif isinstance(event, Delta):
            print(event.text, end="", flush=True)
        elif isinstance(event, Done):
            print(f"\ncost: ${event.cost_usd}")
