"""Settings for a qcluster or web server process started by a test.

Everything as in production settings, except: the test's database (its name comes
in DCMODEL_TEST_DATABASE_NAME), the test's media folder, and Django-Q limits the
test chooses (DCMODEL_JOB_TIMEOUT, DCMODEL_JOB_RETRY).
"""

import os

from .settings import *  # noqa: F403
from .settings import DATABASES, Q_CLUSTER, env

DATABASES["default"]["NAME"] = os.environ["DCMODEL_TEST_DATABASE_NAME"]
MEDIA_ROOT = os.environ["DCMODEL_TEST_MEDIA_ROOT"]
Q_CLUSTER = {
    **Q_CLUSTER,
    "retry": env.int("DCMODEL_JOB_RETRY", default=Q_CLUSTER["retry"]),
    "workers": env.int("DCMODEL_WORKERS", default=2),
    "name": "dcmodel" + os.environ.get("DCMODEL_TEST_DB_SUFFIX", ""),  # as settings_test
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DCMODEL_STALE_AFTER = env.int("DCMODEL_STALE_AFTER", default=60)
