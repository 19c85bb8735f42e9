"""Create the first admin account, safely: a random password, shown once and kept in var/."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an admin account with a random password if no superuser exists yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DCMODEL_ADMIN_USER", "admin"))

    def handle(self, *args, **options):
        users = get_user_model().objects
        secret_file = Path(settings.VAR_DIR) / "admin-password.txt"
        if users.filter(is_superuser=True).exists():
            hint = f" (first password in {secret_file})" if secret_file.exists() else ""
            self.stdout.write(f"Admin account exists{hint}.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        users.create_superuser(username=options["username"], email="", password=password)
        if "DJANGO_SUPERUSER_PASSWORD" not in os.environ:
            secret_file.write_text(password + "\n")
            secret_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account {options['username']!r} with password {password} "
                f"(also saved to {secret_file}; change it in the admin)."
            )
        )
