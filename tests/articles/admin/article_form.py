"""Helpers for posting the article edit form in tests."""


def management_forms() -> dict:
    """The edit form's inlines (photos, corrections) posted empty."""
    return {
        f"{prefix}-{key}": value
        for prefix in ("article_photos", "corrections")
        for key, value in {
            "TOTAL_FORMS": 0,
            "INITIAL_FORMS": 0,
            "MIN_NUM_FORMS": 0,
            "MAX_NUM_FORMS": 1000,
        }.items()
    }
