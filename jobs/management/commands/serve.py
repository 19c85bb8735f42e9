"""Run the web server (ASGI, daphne via runserver) and a Django-Q worker together.

Ctrl-C (or SIGTERM) stops both: each child gets SIGTERM and a grace period,
then SIGKILL; the command exits when both are gone.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Start the web server and a qcluster worker side by side; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args, **options):
        address = f"{options['host']}:{options['port']}"
        commands = [[sys.executable, "manage.py", "runserver", "--noreload", address]]
        if not options["no_worker"]:
            commands.append([sys.executable, "manage.py", "qcluster"])
        self._banner(address)
        children = [subprocess.Popen(command, cwd=settings.BASE_DIR) for command in commands]
        stopping = False

        def stop(signum, _frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
        self._stop(children)

    def _banner(self, address: str) -> None:
        url = f"http://{address}"
        self.stdout.write(
            f"dcmodel is starting on {url}\n"
            f"  pages:  {url}/          (upload, live progress, models, review)\n"
            f"  admin:  {url}/admin/\n"
            f"  API:    {url}/api/docs/ (token: python manage.py drf_create_token USER)\n"
            f"  log in with the admin account printed above "
            f"(or create one: python manage.py createsuperuser)\n"
            f"  worker: Django-Q cluster '{settings.Q_CLUSTER['name']}' "
            f"({'Redis' if settings.REDIS_URL else 'ORM broker'})\n"
            f"Press Ctrl-C to stop web and worker."
        )

    def _stop(self, children) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.stdout.write("dcmodel stopped.")
