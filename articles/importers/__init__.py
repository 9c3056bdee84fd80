"""Agency imports: one pipeline, many parsers (DESIGN.md 3).

    source (file, directory, URL) → detect format → parse (pure: bytes →
    AgencyItem) → apply (identity, versions, kill/embargo, local edits,
    photos, sanitising) → ImportReport

`sources` finds the files (directories walked lazily), `streams` and
`detect` read each file item by item in bounded memory and pick the parser
(one module per format: `digitalwires`, `ninjs`, `newsml`, `nitf`, `rss`).
`news.import_news` ties it together for the command: it starts an
`ImportRun` (`runs`) and hands each batch of items, as a `Batch`, to
`batches`, which applies them a transaction per batch with `stories`
(articles from items) and `agency_photos`; the outcome is an
`ImportReport` (`report`). Parsers never touch the database; applying
never looks at the wire format.
"""
