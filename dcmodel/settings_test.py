"""Test settings: sync Django-Q, in-memory channel layer, temporary media, fast hashing."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import Q_CLUSTER

# django-q2 copies Q_CLUSTER once at import, so the test value is pinned here.
# The cluster name is the Redis queue's key: two test runs side by side keep apart.
Q_CLUSTER = {
    **Q_CLUSTER,
    "sync": True,
    "name": "dcmodel" + os.environ.get("DCMODEL_TEST_DB_SUFFIX", ""),
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dcmodel-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not SQLite's in-memory default: the qcluster and web server processes that
# some tests start must open the same test database. DCMODEL_TEST_DB_SUFFIX keeps two
# test runs on one machine (e.g. SQLite and PostgreSQL side by side) apart.
_suffix = os.environ.get("DCMODEL_TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db{_suffix}.sqlite3")}  # noqa: F405
elif _suffix:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{_suffix}"}  # noqa: F405

# whitenoise warns on every request when the collected-static folder does not exist.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
