"""A stand-in for the window's message service: records what the user would have been
told and answers questions as a test scripts them, instead of showing dialogs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hyp_board.ui.messages import Choice, Messages


@dataclass
class Shown:
    level: str  # error, warning, info
    text: str
    detail: str

    @property
    def whole(self) -> str:
        return f"{self.text}\n{self.detail}"


class ScriptedMessages(Messages):
    """Status notes still reach the window's status bar; dialogs are recorded.

    Queue answers in :attr:`answers` (choice keys) and :attr:`texts` (typed lines);
    an unscripted question takes its default answer.
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Shown] = []
        self.questions: list[str] = []
        self.answers: list[str] = []
        self.texts: list[str | None] = []

    def _box(self, icon, text: str, detail: str) -> None:  # type: ignore[no-untyped-def]
        level = {3: "error", 2: "warning", 1: "info"}.get(int(icon.value), "info")
        self.shown.append(Shown(level, text, detail))

    def choose(  # type: ignore[override]
        self, text: str, detail: str, choices: Sequence[Choice], default: str | None = None, *args, **kwargs
    ) -> str | None:
        self.questions.append(f"{text}\n{detail}")
        keys = [c.key for c in choices]
        answer = self.answers.pop(0) if self.answers else default
        assert answer is None or answer in keys, f"{answer!r} is not one of {keys}"
        return answer

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        self.questions.append(label)
        return self.texts.pop(0) if self.texts else None

    def texts_of(self, level: str) -> list[str]:
        return [s.whole for s in self.shown if s.level == level]
