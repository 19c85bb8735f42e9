"""The Node.js engine process: spawn, JSON lines with deadlines, and a sure kill.

One `EngineProcess` is one `node engine.mjs` child in a session of its own. Two
threads read its stdout (responses, into a queue) and stderr (a bounded tail
for error messages), so a chatty engine can never fill a pipe and deadlock us.
Anything unexpected (a deadline passed, the process died, a line that is not
JSON, an answer to another request) kills the whole process group and raises
`EvaluatorError` with the cause and the stderr tail: a broken engine is never
reused.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import resource
import signal
import subprocess
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from imports.services.evaluator import EvaluatorError

# engine.mjs's own exit codes (see its header).
EXIT_BAD_ARGS = 2
EXIT_WORKER_CRASHED = 3
EXIT_WORKER_OOM = 4

MAX_LINE_BYTES = 256 * 1024 * 1024  # a response line longer than this is a protocol error
STDERR_TAIL_LINES = 40
STDERR_LINE_CHARS = 500  # each kept stderr line is cut to this, so messages stay readable
_EOF = object()


class EngineRequestError(EvaluatorError):
    """The engine answered a request with an error; the process itself is healthy."""


def exit_cause(returncode: int | None) -> str:
    """A human description of how the engine process ended."""
    if returncode is None:
        return "the engine is still running"
    if returncode in (-signal.SIGABRT, 128 + signal.SIGABRT, EXIT_WORKER_OOM):
        return f"the engine ran out of memory (exit status {returncode})"
    if returncode in (-signal.SIGKILL, 128 + signal.SIGKILL):
        return "the engine was killed (SIGKILL: out of memory or stopped from outside)"
    if returncode < 0:
        return f"the engine died from signal {signal.Signals(-returncode).name}"
    if returncode == EXIT_WORKER_CRASHED:
        return "the engine's worker thread crashed"
    if returncode == 0:
        return "the engine exited"
    return f"the engine exited with status {returncode}"


def address_space_limiter(limit_bytes: int | None) -> Callable[[], None] | None:
    """A preexec_fn capping the child's address space; V8 also aborts past its heap limit."""
    if not limit_bytes:
        return None

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return limit


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the child's whole process group and reap it; harmless if already gone."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        except PermissionError:
            proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - the kernel did not reap in time
        pass
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        try:
            if stream:
                stream.close()
        except OSError:
            pass


def _pump_responses(stream: Any, responses: queue.Queue) -> None:
    """Reader thread: each stdout line into the queue, then _EOF."""
    try:
        while line := stream.readline(MAX_LINE_BYTES):
            responses.put(line)
    except (OSError, ValueError):
        pass
    responses.put(_EOF)


def _pump_stderr(stream: Any, tail: collections.deque) -> None:
    """Reader thread: keep the last stderr lines (cut short), reading in bounded pieces."""
    at_line_start = True
    try:
        while piece := stream.readline(64 * 1024):
            if at_line_start:
                text = piece.decode("utf-8", "replace").rstrip()
                tail.append(
                    text if len(text) <= STDERR_LINE_CHARS else text[:STDERR_LINE_CHARS] + "…"
                )
            at_line_start = piece.endswith(b"\n")
    except (OSError, ValueError):
        pass


class EngineProcess:
    """A running engine: send one JSON request, wait for its one JSON answer."""

    def __init__(self, argv: Sequence[str], *, memory_limit_bytes: int | None = None) -> None:
        self.argv = list(argv)
        self._next_id = 0
        self._responses: queue.Queue[Any] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._lock = threading.Lock()
        self.proc = self._spawn(memory_limit_bytes)
        # Kill the child when this object is collected or Python exits (atexit).
        self._finalizer = weakref.finalize(self, _kill_group, self.proc)
        self._start_reader(_pump_responses, self.proc.stdout, self._responses)
        self._start_reader(_pump_stderr, self.proc.stderr, self._stderr)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def _spawn(self, memory_limit_bytes: int | None) -> subprocess.Popen:
        try:
            return subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, killed as one
                preexec_fn=address_space_limiter(memory_limit_bytes),
            )
        except OSError as error:
            raise EvaluatorError(f"cannot start the engine ({self.argv[0]}): {error}") from error

    def _start_reader(self, target: Callable[..., None], stream: Any, sink: Any) -> None:
        # The threads get the stream and a sink, never `self`, so that an abandoned
        # EngineProcess can still be collected (and its finalizer kill the child).
        name = f"engine-{self.proc.pid}-{target.__name__}"
        threading.Thread(target=target, args=(stream, sink), name=name, daemon=True).start()

    def stderr_tail(self) -> str:
        """The last lines the engine wrote to stderr, for error messages."""
        return "\n".join(self._stderr)

    def request(self, op: str, payload: dict[str, Any] | None = None, *, timeout: float) -> dict:
        """Send one request and return its answer; raise EvaluatorError on any failure."""
        with self._lock:
            return self._answer(self._send(op, payload), op, timeout)

    def pipeline(
        self, op: str, payloads: Iterable[dict[str, Any]], *, timeout: float, window: int = 3
    ) -> Iterator[dict]:
        """Send many requests of one op with up to `window` in flight; yield answers in order.

        The engine parses the next batch while we encode the one after, so a
        million cells move in about half the time of strict request/answer turns.
        """
        with self._lock:
            in_flight: collections.deque[int] = collections.deque()
            try:
                for payload in payloads:
                    if len(in_flight) >= window:
                        yield self._answer(in_flight.popleft(), op, timeout)
                    in_flight.append(self._send(op, payload))
                while in_flight:
                    yield self._answer(in_flight.popleft(), op, timeout)
            finally:
                self._drain(in_flight, op, timeout)

    def _drain(self, in_flight: collections.deque[int], op: str, timeout: float) -> None:
        """Read the answers nobody will use (the caller stopped early), keeping ids in step."""
        try:
            while in_flight and self.alive:
                self._receive(in_flight.popleft(), op, timeout)
        except EvaluatorError:
            pass  # the engine is killed by now; the caller's own error is the one to see

    def _answer(self, request_id: int, op: str, timeout: float) -> dict:
        response = self._receive(request_id, op, timeout)
        if not response.get("ok"):
            raise EngineRequestError(f"the engine could not do {op!r}: {response.get('error')}")
        return response

    def _send(self, op: str, payload: dict[str, Any] | None) -> int:
        """Write one request line; returns its id."""
        self._next_id += 1
        message = {"id": self._next_id, "op": op, **(payload or {})}
        try:
            line = json.dumps(message, separators=(",", ":"), allow_nan=False)
        except ValueError as error:
            raise EvaluatorError(f"cannot encode the {op!r} request: {error}") from error
        try:
            self.proc.stdin.write(line.encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            self._fail(f"{self._ended_cause()} before {op!r} could be sent")
        return self._next_id

    def _receive(self, request_id: int, op: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        try:
            line = self._responses.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self._fail(f"the engine did not answer {op!r} within {timeout:g} s (timeout)")
        if line is _EOF:
            self._fail(f"{self._ended_cause()} during {op!r}")
        response = self._parse(line, op)
        if response.get("id") != request_id:
            got = line[:200]
            self._fail(
                f"protocol error: expected the answer to request {request_id} ({op!r}): {got!r}"
            )
        return response

    def _parse(self, line: bytes, op: str) -> dict:
        if not line.endswith(b"\n"):
            self._fail(
                f"protocol error: the answer to {op!r} is longer than {MAX_LINE_BYTES} bytes"
            )
        try:
            response = json.loads(line)
        except ValueError:
            self._fail(f"protocol error: the answer to {op!r} is not JSON: {line[:200]!r}")
        if not isinstance(response, dict):
            self._fail(f"protocol error: the answer to {op!r} is not a JSON object")
        return response

    def _ended_cause(self) -> str:
        try:
            returncode = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the engine closed its output"
        return exit_cause(returncode)

    def _fail(self, message: str) -> None:
        """Kill the engine and raise EvaluatorError with `message` and the stderr tail."""
        self.kill()
        time.sleep(0.05)  # let the stderr reader drain what the engine said last
        tail = self.stderr_tail()
        raise EvaluatorError(
            f"{message}.\nEngine stderr (last lines):\n{tail}" if tail else f"{message}."
        )

    def kill(self) -> None:
        """Kill the process group and reap it; safe to call twice."""
        self._finalizer()

    def close(self, *, timeout: float = 5.0) -> None:
        """Ask the engine to stop (closing stdin ends it at once), then make sure it is gone."""
        if self.alive:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=timeout)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        self.kill()
