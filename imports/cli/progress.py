"""Progress display for commands: a tqdm bar on a terminal, one line per stage elsewhere."""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

from imports.services.stages import Stage


class TerminalProgress:
    """A pipeline progress callback that draws the overall percent as a bar."""

    def __init__(self, stream=None, *, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = None
        self.stage = None
        self.started = time.perf_counter()
        if self.tty:
            self.bar = tqdm(total=100, file=self.stream, unit="%", bar_format=_FORMAT)

    def __call__(self, stage: str, percent: float, message: str) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_description_str(_label(stage))
            self.bar.set_postfix_str(message[:60], refresh=False)
            self.bar.n = percent
            self.bar.refresh()
            return
        if stage != self.stage:
            self._line(stage, percent, message)
            self.stage = stage
        elif message.endswith(" done") or percent >= 100:
            self._line(stage, percent, message)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _line(self, stage: str, percent: float, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{percent:5.1f}%] {elapsed:7.2f}s {_label(stage)}: {message}", file=self.stream)
        self.stream.flush()


_FORMAT = "{desc:<20} {percentage:3.0f}%|{bar}| {elapsed} {postfix}"


def _label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage
