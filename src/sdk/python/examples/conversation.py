"""A conversation over a knowledge base: the follow-up is rewritten into a standalone question before
retrieval. Prints each answer with the pages it cites.

    AIHUB_BASE_URL=... AIHUB_API_KEY=... python3 conversation.py kb_...
"""
import sys

from aihub import AiHub

kb_id = sys.argv[1]
with AiHub() as hub:
    conversation = hub.conversations.create([kb_id])
    for question in ["What is a trace tree?", "How does it handle nested loops?"]:
        result = hub.conversations.send(conversation["id"], question).final_answers()
        print(f"Q: {question}\nA: {result.answers[0].text}")
        for source in result.cited:
            print(f"  [{source.n}] {source.title}, page {source.page_start}")
