"""Where the browser tests find Debian's chromium (`make test` installs it when missing)."""

from __future__ import annotations

import os
import shutil


def find_chromium() -> str | None:
    """$DCMODEL_CHROMIUM, /usr/bin/chromium, or chromium / chromium-browser on PATH."""
    candidates = [
        os.environ.get("DCMODEL_CHROMIUM", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


CHROMIUM = find_chromium()
MISSING = (
    "no chromium executable: looked for $DCMODEL_CHROMIUM, /usr/bin/chromium and chromium "
    "on PATH (`make test` installs Debian's chromium with apt-get when it can)"
)
