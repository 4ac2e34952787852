"""Adapters of the reference files: ISO/M49 codes, UN aggregates, World Bank groups,
capitals (one module per file; catalog sources countries_iso, un_aggregates_2020,
wb_income, wup_capitals).

Each adapter has the adapter signature `(files, source) -> Ingested` and puts the
file's content, as a tidy frame with codes and names as published, in
`Ingested.reference` under the name `tmo.countries.build_reference` expects
("country_codes", "un_aggregates", "wb_class", "wup_capitals"). Every row carries the
provenance columns `src_file`, `src_sheet`, `src_row` (the row number a user sees in
the file). A file whose layout moved (header row, missing column, truncated) raises
SchemaError naming the file, sheet, row or column and what was expected, with the
hint `HINT`; an unreadable file raises SourceError. See docs/countries.md.
"""

HINT = "the publisher changed the layout or the file is truncated; see docs/countries.md"
