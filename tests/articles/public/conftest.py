import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.samples import sample_path


@pytest.fixture(autouse=True)
def on_both_paths(both_paths):
    """Public pages must come out the same with and without the speed
    helpers that rely on Django internals (NEWSROOM_FAST_PATH), so that
    switching them off is safe."""
    return both_paths


# jsonschema checks formats only with optional packages we do not install;
# these two are what the export must get right.
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value) -> bool:
    return "T" in value and datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def is_uri(value) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https", "urn") and bool(parts.netloc or parts.path)


@pytest.fixture(scope="module")
def ninjs_validator():
    path = sample_path("ninjs/schema/ninjs-schema_2.2.json")
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS)


def assert_valid(validator, item: dict) -> None:
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(item)
    ]
    assert errors == []
