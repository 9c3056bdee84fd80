"""The agencies' sample files live outside the repo (their rights stay with
the agencies): `NEWSROOM_SAMPLES`, default `../shared/samples`. Missing
samples skip a test locally and fail it on CI."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def sample_path(relative: str) -> Path:
    root = Path(os.environ.get("NEWSROOM_SAMPLES", REPO.parent / "shared" / "samples"))
    path = root / relative
    if not path.exists():
        message = f"sample {relative} not found under {root}; set NEWSROOM_SAMPLES"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
