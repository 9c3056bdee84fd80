import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Gq2vLr9tPz4sWk8mNc1bHd6fJy3eQa5uRo0iTl-_Vn2XpZ7gKw",
    "ALLOWED_HOSTS": "www.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://www.example.com",
    "DATABASE_URL": "postgres://newsroom:secret@db.internal:5432/newsroom",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def manage(*args, **env):
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {*PRODUCTION, "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_environment_selects_postgres_and_redis():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
        "s.CACHES['default']['BACKEND'], s.DEBUG, s.LANGUAGE_CODE, s.TIME_ZONE)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == [
        "django.db.backends.postgresql",
        "db.internal",
        "newsroom.cache.RedisCache",
        "False",
        "de",
        "Europe/Berlin",
    ]


def test_defaults_need_nothing_installed():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['NAME'], s.CACHES['default']['BACKEND'])",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    name, cache = result.stdout.split()[-2:]
    assert name.endswith("var/newsroom.sqlite3")
    assert cache == "django.core.cache.backends.locmem.LocMemCache"


def test_manage_py_without_any_configuration_is_development():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "True"


def test_manage_py_with_a_secret_key_keeps_debug_off():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS="www.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


def test_redis_limits_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.NEWSROOM_REDIS_TIMEOUT_SECONDS, s.NEWSROOM_REDIS_RETRY_SECONDS, "
        "s.NEWSROOM_REDIS_WARNING_SECONDS)",
        DEBUG="true",
        NEWSROOM_REDIS_TIMEOUT_SECONDS="0.1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["0.1", "1.0", "60.0"]
    result = manage("check", DEBUG="true", NEWSROOM_REDIS_TIMEOUT_SECONDS="kurz")
    assert "NEWSROOM_REDIS_TIMEOUT_SECONDS='kurz' is not a number" in result.stderr


def test_invalid_boolean_is_named():
    result = manage("check", DEBUG="vielleicht")
    assert result.returncode != 0
    assert "DEBUG='vielleicht' is not a boolean" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_csp_without_unsafe_inline(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_warns_about_a_per_process_page_cache():
    without_redis = {
        key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"
    }
    result = manage("check", "--deploy", **without_redis)
    assert "newsroom.W001" in result.stderr + result.stdout


def test_check_deploy_warns_about_wildcard_hosts():
    result = manage(
        "check", "--deploy", **{**PRODUCTION, "ALLOWED_HOSTS": ".example.com"}
    )
    assert "newsroom.W002" in result.stderr + result.stdout
    assert "(.example.com)" in result.stderr + result.stdout


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_media_go_to_the_object_store_the_environment_names(s3_server, s3_bucket):
    s3, bucket = s3_bucket
    # The bucket's credentials reach manage.py through the environment.
    result = manage(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage as d; "
        "print(d.save('probe/hallo.txt', ContentFile(b'hallo')), d.exists('x'))",
        DEBUG="true",
        NEWSROOM_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_server,
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_LOCATION="rheinblick",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["probe/hallo.txt", "False"]
    stored = s3.get_object(Bucket=bucket, Key="rheinblick/probe/hallo.txt")
    assert stored["Body"].read() == b"hallo"


def test_object_store_media_without_a_bucket_refuse_to_start():
    result = manage("check", DEBUG="true", NEWSROOM_MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "NEWSROOM_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_media_storage_is_named():
    result = manage("check", DEBUG="true", NEWSROOM_MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "NEWSROOM_MEDIA_STORAGE='ftp': use filesystem or s3" in result.stderr
