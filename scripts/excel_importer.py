"""Import a workbook through dcmodel's JSON API and follow it to its validation summary.

    python scripts/excel_importer.py model.xlsx --api-url http://127.0.0.1:8000 --token KEY

It uploads to POST /api/import/upload, follows the job on its WebSocket (reconnecting once
with ?after=<last event id> when the socket drops), polls GET /api/import/job/<id> when the
socket cannot be had, and prints the summary as `manage.py import_workbook` does. It needs
requests, websockets and tqdm, never Django: it runs where only the server is reachable.

Exit status: 0 imported (or the same bytes were imported before), 1 the job failed or was
cancelled, 2 usage, authentication or upload refused, 3 server unreachable or failing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from requests.exceptions import InvalidSchema, InvalidURL, MissingSchema
from tqdm import tqdm
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a plain script: imports/ sits beside scripts/

from imports.cli.summary import format_summary  # noqa: E402 - plain Python, no Django

OK, FAILED, REFUSED, UNREACHABLE = 0, 1, 2, 3
POLL_SECONDS = 1.0
RECONNECT_PAUSE = 1.0
GIVE_UP_AFTER = 30.0  # seconds of failed polls before the server counts as gone
TOKEN_HINT = (
    "pass --token or set DCMODEL_TOKEN (the server's admin creates one with "
    "`python manage.py drf_create_token USER`)"
)
FINISHED = {"success", "failed", "cancelled"}

# imports.services.stages.Stage's labels; that module imports Django (a test keeps them equal).
STAGE_LABELS = {
    "hash": "Hash",
    "inspect": "Inspect",
    "read_formulas": "Read formulas",
    "read_values": "Read cached values",
    "parse": "Parse formulas",
    "graph": "Dependency graph",
    "evaluate": "Evaluate",
    "circular": "Circular references",
    "store": "Store",
    "validate": "Validate",
}


class ClientError(Exception):
    """Ends the run: a message for stderr, the exit status, and the error's code and stage."""

    def __init__(self, message: str, status: int, *, code: str | None = None, stage=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.stage = stage


class LiveUnavailable(Exception):
    """The WebSocket could not be had (or dropped twice): poll instead."""


# --- HTTP ---------------------------------------------------------------------------------


class Api:
    """The server's JSON API, called with one token."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 30):
        self.base = base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"

    def upload(self, path: Path, *, name: str, abs_tol, rel_tol, force: bool) -> dict:
        data = {"force": "true" if force else "false"}
        if name:
            data["name"] = name
        for key, value in (("abs_tol", abs_tol), ("rel_tol", rel_tol)):
            if value is not None:
                data[key] = repr(value)
        with open(path, "rb") as handle:
            # The server checks the file before it answers: allow a long read for big files.
            response = self._call(
                "post",
                f"{self.base}/api/import/upload",
                data=data,
                files={"file": (path.name, handle)},
                timeout=(self.timeout, 600),
            )
        if response.status_code != 202:
            raise refusal(response, "upload refused")
        return response.json()

    def job(self, url: str, *, after: int) -> dict:
        response = self._call("get", url, params={"after": after}, timeout=self.timeout)
        if response.status_code != 200:
            raise refusal(response, "cannot read the job")
        return response.json()

    def _call(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, **kwargs)
        except (InvalidURL, MissingSchema, InvalidSchema) as exc:
            message = f"bad --api-url {self.base!r}: {exc}"
            raise ClientError(message, REFUSED, code="bad_url") from exc
        except requests.RequestException as exc:
            raise ClientError(
                f"cannot reach the server at {self.base}: {_reason(exc)}",
                UNREACHABLE,
                code="unreachable",
            ) from exc


def refusal(response: requests.Response, what: str) -> ClientError:
    """The API's error answer, {"error": {"code", "message"}}, as a ClientError."""
    status = response.status_code
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        code = f"http_{status}"
        message = f"HTTP {status} from {response.url}, not an answer of the dcmodel API."
    if status >= 500:
        return ClientError(f"server error ({code}): {message}", UNREACHABLE, code=code)
    if status == 401 or code in ("not_authenticated", "authentication_failed"):
        return ClientError(
            f"authentication failed ({code}): {message} To authenticate, {TOKEN_HINT}.",
            REFUSED,
            code=code,
        )
    return ClientError(f"{what} ({code}): {message}", REFUSED, code=code)


def _reason(exc: Exception) -> str:
    # requests nests the socket error a few levels down; its innermost text is the clearest.
    while exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    reason = getattr(exc, "reason", None)
    return str(reason or exc)


# --- progress -------------------------------------------------------------------------------


class Progress:
    """Progress events as a tqdm bar on a terminal, elsewhere one line per stage."""

    FORMAT = "{desc:<20} {percentage:3.0f}%|{bar}| {elapsed} {postfix}"

    def __init__(self, stream=None, *, since: str | None = None):
        self.stream = stream or sys.stderr
        self.last_id = 0
        self.stage = None
        self.started = _timestamp(since) or time.time()  # the job's creation, on the server
        self.bar = None
        if hasattr(self.stream, "isatty") and self.stream.isatty():
            self.bar = tqdm(total=100, file=self.stream, unit="%", bar_format=self.FORMAT)

    def show(self, events: list[dict]) -> None:
        for event in events:
            self.event(event)

    def event(self, event: dict) -> None:
        if event["id"] <= self.last_id:
            return  # seen already (a resumed socket or a poll may repeat the edge)
        self.last_id = event["id"]
        stage, percent, message = event["stage"], event["percent"], event["message"]
        if self.bar is not None:
            self.bar.set_description_str(stage_label(stage))
            self.bar.set_postfix_str(message[:60], refresh=False)
            self.bar.n = percent
            self.bar.refresh()
        elif stage != self.stage or message.endswith(" done") or percent >= 100:
            self.stage = stage
            elapsed = (_timestamp(event.get("time")) or time.time()) - self.started
            self.note(f"[{percent:5.1f}%] {elapsed:7.2f}s {stage_label(stage)}: {message}")

    def note(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _timestamp(text: str | None) -> float | None:
    """Seconds since the epoch of the API's ISO 8601 times (they end in Z)."""
    try:
        return datetime.fromisoformat(text).timestamp()
    except (TypeError, ValueError):
        return None


def stage_label(stage: str | None) -> str:
    return STAGE_LABELS.get(stage or "", stage or "not started")


# --- following a job ------------------------------------------------------------------------


def follow(api: Api, job: dict, progress: Progress, *, token: str) -> dict:
    """Show the job's progress until it finishes; return it as GET /api/import/job gives it."""
    progress.show(job.get("events") or [])
    if job["status"] not in FINISHED:
        try:
            listen(ws_address(job["ws_url"], api.base), token, api.base, progress)
        except LiveUnavailable as exc:
            progress.note(f"Live progress unavailable ({exc}); polling every {POLL_SECONDS:g} s.")
    # The job's own record ends every run: the WebSocket only makes progress instant.
    return poll(api, job["url"], progress)


def listen(ws_url: str, token: str, origin: str, progress: Progress) -> None:
    """Follow the WebSocket to its final event, reconnecting once after a drop."""
    reason = ""
    for attempt in range(2):
        if attempt:
            progress.note(f"Connection lost ({reason}); resuming after event {progress.last_id}.")
            time.sleep(RECONNECT_PAUSE)  # a restarting server gets a moment
        try:
            socket = connect(
                with_query(ws_url, after=progress.last_id),
                additional_headers={"Authorization": f"Token {token}"},
                origin=origin,  # the server checks it against its allowed hosts
                open_timeout=10,
            )
        except (OSError, WebSocketException) as exc:  # TimeoutError is an OSError
            raise LiveUnavailable(f"cannot connect to {ws_url}: {exc}") from exc
        with socket:
            try:
                for raw in socket:
                    message = json.loads(raw)
                    if message.get("type") == "progress":
                        progress.event(message)
                    elif message.get("type") == "final":
                        return
                reason = "closed before the job finished"
            except (OSError, ValueError, WebSocketException) as exc:  # ValueError: not JSON
                reason = str(exc) or type(exc).__name__
    raise LiveUnavailable(f"the socket dropped twice, last: {reason}")


def poll(api: Api, url: str, progress: Progress) -> dict:
    """GET the job every POLL_SECONDS, from the last event seen, until it has finished."""
    failing_since = None
    while True:
        try:
            job = api.job(url, after=progress.last_id)
        except ClientError as exc:
            if exc.status != UNREACHABLE:
                raise
            failing_since = failing_since or time.monotonic()
            if time.monotonic() - failing_since > GIVE_UP_AFTER:
                raise ClientError(
                    f"{exc} (the job may go on: {url})", UNREACHABLE, code=exc.code
                ) from exc
            time.sleep(POLL_SECONDS)
            continue
        failing_since = None
        progress.show(job.get("events") or [])
        if job["status"] in FINISHED:
            return job
        time.sleep(POLL_SECONDS)


def ws_address(ws_url: str, api_base: str) -> str:
    # Behind a TLS proxy the server may not know it is served over https: follow the API.
    if api_base.startswith("https:") and ws_url.startswith("ws:"):
        return "wss:" + ws_url[3:]
    return ws_url


def with_query(url: str, **params) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


# --- the outcome -----------------------------------------------------------------------------


def outcome(job: dict, *, as_json: bool) -> int:
    """Print a successful job's summary; raise a ClientError for a failed or cancelled one."""
    if job["status"] == "cancelled":
        raise ClientError(
            f"the job was cancelled: {job['message']}", FAILED, code="cancelled", stage=job["stage"]
        )
    if job["status"] != "success":
        error = job.get("error") or {}
        stage = error.get("stage") or job.get("stage")
        raise ClientError(
            f"import failed at stage {stage_label(stage)} ({error.get('code')}): "
            f"{error.get('message') or job['message']}",
            FAILED,
            code=error.get("code"),
            stage=stage,
        )
    result = job.get("result") or {}
    model_id = result.get("model_id", job.get("model_id"))
    for line in format_summary({**result, "workbook_id": model_id}):
        print(line)
    if as_json:
        payload = {"ok": True, "job_id": job["id"], "model_url": job.get("model_url"), **result}
        print(json.dumps(payload, allow_nan=False))
    return OK


def run(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get("DCMODEL_TOKEN", "")
    if not token:
        raise ClientError(f"no API token: {TOKEN_HINT}.", REFUSED, code="no_token")
    path = Path(args.file)
    if not path.is_file():
        raise ClientError(f"no such file: {path}", REFUSED, code="no_file")
    api = Api(api_base(args.api_url), token)
    job = api.upload(
        path, name=args.name, abs_tol=args.abs_tol, rel_tol=args.rel_tol, force=args.force
    )
    progress = Progress(sys.stderr, since=job.get("created_at"))
    progress.note(f"Job {job['id']}: {job['url']}")
    try:
        job = follow(api, job, progress, token=token)
    except KeyboardInterrupt:
        progress.close()
        print(f"Interrupted; the job goes on at {job['url']}", file=sys.stderr)
        return 130
    progress.close()
    return outcome(job, as_json=args.json)


def api_base(url: str) -> str:
    """The server's root URL; `.../api` and a trailing slash are accepted too."""
    url = url.rstrip("/")
    return url[: -len("/api")] if url.endswith("/api") else url


def tolerance(text: str) -> float:
    value = float(text)
    if not (0 <= value < float("inf")):
        raise ValueError(text)
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="excel_importer",
        description="Import an Excel workbook through a dcmodel server's API and print "
        "its validation summary.",
        epilog="Exit status: 0 imported, 1 the job failed or was cancelled, 2 usage, "
        "authentication or upload refused, 3 server unreachable.",
    )
    parser.add_argument("file", help="path to the .xlsx or .xlsm file")
    parser.add_argument("--api-url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--token", help="API token (default: $DCMODEL_TOKEN)")
    parser.add_argument("--name", default="", help="name to give the model (default: file name)")
    parser.add_argument("--abs-tol", type=tolerance, help="absolute tolerance for numbers")
    parser.add_argument("--rel-tol", type=tolerance, help="relative tolerance for numbers")
    parser.add_argument(
        "--force", action="store_true", help="import again even if the same file was imported"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the summary as one JSON object (last line)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.json:
            payload = {"ok": False, "code": exc.code, "stage": exc.stage, "error": str(exc)}
            print(json.dumps(payload))
        return exc.status


if __name__ == "__main__":
    sys.exit(main())
