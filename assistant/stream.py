"""An answer as it is being made: words to show at once, then the checked answer."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.answer import Answer

Ask = Callable[[Callable[[str], None]], Answer]


@dataclass
class Streamed:
    """What a stream ended with: the answer, or a message for the reader."""

    answer: Answer | None = None
    error: str = ""


def stream_answer(ask: Ask, result: Streamed) -> Iterator[str]:
    """Yield an answer's words as they come (an LLM's tokens; the extractive answer word by
    word), running `ask(on_token)` in a thread; `result` holds the answer when done."""
    tokens: queue.Queue[str | None] = queue.Queue()

    def work() -> None:
        try:
            result.answer = ask(tokens.put)
        except ValueError as exc:  # the reader's mistake (an empty question): say so
            result.error = str(exc)[:1].upper() + str(exc)[1:]
        except Exception as exc:  # never a bare traceback in front of a reader
            result.error = f"The answer could not be made ({type(exc).__name__}); try again."
        tokens.put(None)

    threading.Thread(target=work, daemon=True).start()
    streamed = False
    while (token := tokens.get()) is not None:
        streamed = True
        yield token
    answer = result.answer
    if answer is not None and (not streamed or answer.answerer == "extractive"):
        if streamed:
            yield "\n\n"
        for word in answer.text.split(" "):
            yield word + " "
