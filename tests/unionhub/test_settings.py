"""Production settings are strict: they refuse to start with unsafe values, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_SETTINGS_MODULE": "unionhub.settings.production",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-value",
    "ALLOWED_HOSTS": "union.example.cn",
    "DATABASE_URL": "postgres://unionhub@127.0.0.1:5432/unionhub",
}


def _run(env, *args):
    clean = {k: v for k, v in os.environ.items() if k not in GOOD}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run({k: v for k, v in GOOD.items() if k != "SECRET_KEY"}, "check")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run({k: v for k, v in GOOD.items() if k != "ALLOWED_HOSTS"}, "check")
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_sqlite():
    result = _run({k: v for k, v in GOOD.items() if k != "DATABASE_URL"}, "check")
    assert result.returncode != 0 and "PostgreSQL" in result.stderr


def test_check_deploy_is_clean():
    result = _run(GOOD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_entry_point_defaults_to_the_same_settings():
    """manage.py, the Celery app and the WSGI application fall back to one module when nothing is set:
    production only where a deployment says so (the Dockerfile and docker-compose.yml)."""
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    probes = {
        "manage.py": "import sys, manage; sys.argv = ['manage.py', 'help']; manage.main()",
        "celery": "import unionhub.celery",
        "wsgi": "import unionhub.wsgi",
    }
    seen = {}
    for name, code in probes.items():
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                code + "; import os; print('SETTINGS=' + os.environ['DJANGO_SETTINGS_MODULE'])",
            ],
            cwd=ROOT,
            env=clean,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        seen[name] = result.stdout.strip().splitlines()[-1]
    assert set(seen.values()) == {"SETTINGS=unionhub.settings.dev"}, seen


def test_the_image_and_the_stack_say_production():
    assert "DJANGO_SETTINGS_MODULE=unionhub.settings.production" in (ROOT / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE: unionhub.settings.production" in (ROOT / "docker-compose.yml").read_text()
