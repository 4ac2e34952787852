"""Country reference data: ISO 3166, UN M49, names and per-source name variants,
regions, income groups, capitals; UN and World Bank aggregates kept apart.

Interface (used by `tmo.store.build` and the source adapters' tests):

- `build_reference(frames) -> Reference`: from the raw frames of the reference
  sources (`countries_iso`, `un_aggregates_2020`, `wb_income`, `wup_capitals`),
  `Reference.registry` (a `CountryRegistry`), `Reference.countries` and
  `Reference.country_groups` (DataFrames with provenance columns, stored as tables).
- `CountryRegistry.from_frames(countries, country_groups)`: rebuild from the store.
- `harmonize(values, kind, registry, *, source, vocabulary=None, rows=None)
  -> (area codes, findings)`: raw identifiers of a GeoKind to area codes
  (ISO3 / special codes / `UN:<m49>` / `WB:<code>`); unmatched values become NA and
  one error finding each, naming the file and rows.
"""
