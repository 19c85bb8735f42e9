"""Real processes for tests: a qcluster (and a web server) on the test's own database.

The test must run with @pytest.mark.django_db(transaction=True), so what it writes is
committed and visible to these processes, and its Django-Q calls must enqueue (not run
inline): see the `real_queue` fixture.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE = Path(settings.BASE_DIR)


def subprocess_env(**extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dcmodel.settings_subprocess_test",
        "DCMODEL_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "DCMODEL_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


@contextmanager
def qcluster(log: Path, **env):
    """A running `manage.py qcluster`; stopped (then killed) on exit."""
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=BASE,
            env=subprocess_env(**env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace: float = 20) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def web_server(log: Path, **env):
    """daphne serving dcmodel.asgi on a free port; yields the base URL."""
    port = free_port()
    with open(log, "w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "dcmodel.asgi:application",
            ],
            cwd=BASE,
            env=subprocess_env(**env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_port(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process, grace=5)


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def wait_for(predicate, *, timeout: float, every: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def engine_processes() -> list[int]:
    """PIDs of every running dcmodel Node engine on this machine."""
    result = subprocess.run(["pgrep", "-f", "node_eval/engine.mjs"], capture_output=True, text=True)
    return [int(pid) for pid in result.stdout.split()]


def engines_under(root: int) -> list[int]:
    """The engine processes descended from `root` (a qcluster started by the test)."""
    return [pid for pid in engine_processes() if root in ancestors(pid)]


def ancestors(pid: int) -> list[int]:
    chain = []
    try:
        while pid > 1:
            pid = parent_of(pid)
            chain.append(pid)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return chain


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])
