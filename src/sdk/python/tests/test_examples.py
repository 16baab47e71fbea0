"""The examples run as a user would run them, against the live server, so they cannot rot."""
import os
import re
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")


def run(name, *args):
    env = {**os.environ, "PYTHONPATH": os.path.join(EXAMPLES, "..")}
    done = subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, name), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ask_a_pdf(sample_pdf):
    out = run("ask_a_pdf.py", sample_pdf, "What is a trace tree?")
    assert "sources found" in out
    assert re.search(r"cost: \$\d+\.\d{6}", out)


def test_conversation(paper):
    out = run("conversation.py", paper["kb_id"])
    assert re.search(r"\[\d+\] .*page \d+", out)
