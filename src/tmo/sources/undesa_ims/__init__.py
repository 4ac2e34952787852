"""UN DESA International Migrant Stock workbooks (revisions 2024 and 2020).

`read_destination_workbook` reads the 'by sex and destination' workbook,
`read_od_workbook` the 'by sex, destination and origin' workbook. Quirks common to
both (title rows, the header on row 11, the sex blocks on row 8, '..' for missing,
asterisks and indentation in names) live in `workbook`; see docs/sources/undesa_ims.md.
Location codes are UN M49 numbers as published: countries and areas below 900, World
900 and groups above, 2003 "Other" (origin not known).
"""

from tmo.sources.undesa_ims.destination import read_destination_workbook
from tmo.sources.undesa_ims.origin_destination import read_od_workbook

__all__ = ["read_destination_workbook", "read_od_workbook"]
