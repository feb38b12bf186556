"""DATABASE_REPLICA_URL adds the ``replica`` alias the reports may read; unset, there is one database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({alias: db['NAME'] for alias, db in settings.DATABASES.items()}))"
)


def databases(**variables: str) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "postgres://approdi@db.internal:5432/approdi",
        "SECRET_KEY": "x" * 60,
        "APPRODI_ENCRYPTION_KEYS": "Jd5mGqkUDn5lV9cXv0vW1u8tTjGf0Jd9l8G0cV1YrWc=",
        "APPRODI_INDEX_KEY": "index-key-for-this-test",
        "DATABASE_REPLICA_URL": "",
        **variables,
    }
    answer = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert answer.returncode == 0, answer.stderr[-2000:]
    return json.loads(answer.stdout.strip().splitlines()[-1])


def test_the_replica_url_adds_a_second_database_and_its_absence_none():
    assert databases() == {"default": "approdi"}
    assert databases(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/approdi_copy") == {
        "default": "approdi",
        "replica": "approdi_copy",
    }
