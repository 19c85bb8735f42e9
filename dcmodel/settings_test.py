"""Test settings: sync Django-Q, in-memory channel layer, temporary media, fast hashing."""

import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import Q_CLUSTER

# django-q2 copies Q_CLUSTER once at import, so the test value is pinned here.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dcmodel-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not SQLite's in-memory default: the qcluster and web server processes that
# some tests start must open the same test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
