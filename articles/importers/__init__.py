"""Agency imports: one pipeline, many parsers (DESIGN.md 3).

    source (file, directory, URL) → detect format → parse (pure: bytes →
    AgencyItem) → apply (identity, versions, kill/embargo, local edits,
    photos, sanitising) → ImportReport

This package holds the parse stage so far: `items` (the AgencyItem the
parsers produce and the rules they share), `safe_json` (bounded, hostile-
input-proof JSON loading) and one module per format. Parsers never touch
the database.
"""
