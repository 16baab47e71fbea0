"""A streamed answer as an iterator of typed events, with a helper that folds it into final answers."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

import httpx

from .errors import ConnectionError
from .events import Answer, AskEvent, Delta, Done, FinalAnswers, ModelError, Source, Sources, Usage, ask_event
from .sse import read_events


class AskStream:
    """Iterate for events (Sources, Delta, Usage, ModelError, Done), or call ``final_answers()``.

    One consumer. Leaving the loop early (or ``close()``, or the ``with`` block) closes the
    connection, which stops the models and their billing server-side.
    """

    def __init__(self, response: httpx.Response):
        self._response = response
        self._consumed = False
        #: The stored answer's id for conversation messages; None for /v1/ask.
        self.message_id: Optional[str] = response.headers.get("x-message-id")

    def __iter__(self) -> Iterator[AskEvent]:
        if self._consumed:
            raise RuntimeError("This answer stream was already read; ask again for another.")
        self._consumed = True
        saw_done = False
        try:
            for name, data in read_events(self._response.iter_lines()):
                event = ask_event(name, data)
                if event is None:
                    continue
                saw_done = saw_done or isinstance(event, Done)
                yield event
        except httpx.TransportError as err:
            raise ConnectionError(f"the answer stream broke: {err}") from err
        finally:
            self._response.close()
        if not saw_done:
            raise ConnectionError("the answer stream ended before its done event")

    def text_stream(self) -> Iterator[str]:
        """The text as it arrives, for the first (or only) model."""
        first = None
        for event in self:
            if isinstance(event, Delta):
                first = first or event.model
                if event.model == first:
                    yield event.text

    def final_answers(self) -> FinalAnswers:
        folder = AnswerFolder()
        for event in self:
            folder.add(event)
        return folder.result()

    def close(self) -> None:
        self._response.close()

    def __enter__(self) -> "AskStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AnswerFolder:
    """Folds answer events into one Answer per model; shared by the sync and async streams."""

    def __init__(self) -> None:
        self.sources: list[Source] = []
        self.done: Optional[Done] = None
        self.text: dict[str, str] = {}
        self.usage: dict[str, Usage] = {}
        self.errors: dict[str, ModelError] = {}

    def add(self, event: AskEvent) -> None:
        if isinstance(event, Sources):
            self.sources = event.sources
        elif isinstance(event, Delta):
            self.text[event.model] = self.text.get(event.model, "") + event.text
        elif isinstance(event, Usage):
            self.usage[event.model] = event
        elif isinstance(event, ModelError):
            self.errors[event.model] = event
        else:
            self.done = event

    def result(self) -> FinalAnswers:
        done = self.done
        if done is None:
            raise ConnectionError("the answer stream ended before its done event")
        answers = [
            Answer(
                model=m["model"],
                text=self.text.get(m["model"], ""),
                usage=self.usage.get(m["model"]),
                error=self.errors.get(m["model"]),
                citations=m["citations"],
                answerable=m["answerable"],
            )
            for m in done.models
        ]
        cited_numbers = {n for a in answers for n in a.citations}
        return FinalAnswers(self.sources, answers, done, [s for s in self.sources if s.n in cited_numbers])
