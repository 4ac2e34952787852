"""UN World Population Prospects: R data packages (wpp2024, wpp2019) and official CSVs.

Units: every WPP file publishes THOUSANDS; the adapters emit persons (population as
round(x * 1000), events as x * 1000 rounded to whole persons). Timing and the other
quirks are documented in docs/sources/wpp.md. Locations are M49 codes (aggregates
included); IOM gdidata's annual population uses ISO3 and comes as its own part (see
`rpackage_2024`).

- `rpackage_2024.read_wpp2024_rpackage`: the wpp2024 R package (.rda) + gdidata;
- `rpackage_2019.read_wpp2019_rpackage`: the wpp2019 R package text files + DDF CSVs;
- `csv.read_wpp_csv`: the official CSV downloads of either revision;
- `tables`: what they share (UNlocations.txt, text tables, the WPP columns).
"""

from tmo.sources.wpp.csv import read_wpp_csv
from tmo.sources.wpp.rpackage_2019 import read_wpp2019_rpackage
from tmo.sources.wpp.rpackage_2024 import read_wpp2024_rpackage

__all__ = ["read_wpp2019_rpackage", "read_wpp2024_rpackage", "read_wpp_csv"]
