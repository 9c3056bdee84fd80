import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db


def test_originals_no_photo_refers_to_are_removed(media_root):
    kept = PhotoFactory()
    # Left by an import killed before its commit: a day old, and a fresh
    # one that a running import may be about to commit.
    old = default_storage.save("photos/2026/01/verwaist.jpg", ContentFile(b"x"))
    young = default_storage.save("photos/2026/12/frisch.jpg", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    os.utime(default_storage.path(kept.image.name), (two_days_ago, two_days_ago))
    out = StringIO()
    call_command("remove_orphaned_originals", "--dry-run", "-v", "2", stdout=out)
    assert out.getvalue().splitlines() == [
        old,
        "1 orphaned original file(s) would be removed.",
    ]
    assert default_storage.exists(old)
    out = StringIO()
    call_command("remove_orphaned_originals", stdout=out)
    assert "1 orphaned original file(s) removed." in out.getvalue()
    assert not default_storage.exists(old)
    assert default_storage.exists(young) and default_storage.exists(kept.image.name)
