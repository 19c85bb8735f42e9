"""`manage.py serve` (what `make run` starts): web server and worker together, both
gone after one Ctrl-C."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.jobs.cluster import BASE, free_port, subprocess_env, wait_for, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.cluster]


def children_of(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in result.stdout.split()]


def test_ctrl_c_stops_web_server_and_worker(tmp_path):
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=BASE,
            env=subprocess_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as answer:
            assert answer.status == 200
        children = wait_for(
            lambda: len(children_of(process.pid)) == 2 and children_of(process.pid),
            timeout=30,
            what="web server and worker",
        )
        descendants = set(children)
        for child in children:
            descendants.update(children_of(child))
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    time.sleep(0.5)
    left = [pid for pid in descendants if os.path.exists(f"/proc/{pid}")]
    assert not left, f"processes left running: {left}"
    output = (tmp_path / "serve.log").read_text()
    assert f"http://127.0.0.1:{port}/" in output and "dcmodel stopped." in output
