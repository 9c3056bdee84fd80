"""Agency imports: one pipeline, many parsers (DESIGN.md 3).

    source (file, directory, URL) → detect format → parse (pure: bytes →
    AgencyItem) → apply (identity, versions, kill/embargo, local edits,
    photos, sanitising) → ImportReport

`sources` finds the files (directories walked lazily), `streams` and
`detect` read each file item by item in bounded memory and pick the parser
(one module per format: `digitalwires`, `ninjs`, `newsml`, `nitf`, `feeds`),
`batches` applies the items a batch per transaction with `apply`, and
`runs.import_news` ties it together for the command. Parsers never touch
the database; `apply` never looks at the wire format.
"""
