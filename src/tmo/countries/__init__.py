"""Country reference data: ISO 3166, UN M49, names and per-source name variants,
regions, income groups, capitals; UN and World Bank aggregates kept apart.

- `build_reference(frames) -> Reference`: `Reference.registry`, `.countries`,
  `.country_groups` from the frames of the reference files (read by the adapters
  in `tmo.sources.reference`; this package reads no file).
- `CountryRegistry.from_frames(countries, country_groups)`: rebuild from the store.
- `harmonize(values, kind, registry, *, source, vocabulary=None, rows=None)`:
  published identifiers to area codes (ISO3, special codes, `UN:<m49>`, `WB:<code>`);
  unmatched values become NA and error findings naming the rows.
See docs/countries.md.
"""

from tmo.countries.harmonize import harmonize
from tmo.countries.reference import Reference, build_reference
from tmo.countries.registry import Country, CountryRegistry

__all__ = ["Country", "CountryRegistry", "Reference", "build_reference", "harmonize"]
