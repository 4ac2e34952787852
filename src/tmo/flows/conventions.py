"""How the store's stock tables and events become flow estimates: named conventions.

Every choice that the published global estimates (Abel & Cohen 2019, Scientific Data
6:82; 2022, 9:173, with migest) make and that `tmo` could make otherwise is one field
of `Conventions`. `PUBLISHED` (the default of `tmo flows`) follows the published
estimates; `PREVIOUS` is what `tmo flows` did before issue #12, kept to measure what each
convention changes. Each field is a named, tested option (docs/flows.md, "Conventions"):

- `unknown_origin`: immigrants of unknown origin (IMS `OOO`). `"native-born"`: dropped
  from the foreign-born, so the residual native-born (population − known immigrants)
  counts them (published); `"share"`: shared over the destination's known origins.
- `merge_states`: predecessor and successor states merged before a split, for the
  periods where the successor has no stocks of its own at the start or the end
  (`SUCCESSORS`: South Sudan with Sudan, Sint Maarten with Curaçao, the two larger parts
  of the former Netherlands Antilles that IMS 2020 lists only from 2005 and 2010).
- `open_method`: the open accounting variant of `da_min_open`, `"open-dr"` (published,
  Abel 2013) or `"open"`.
- `mig_rate_total`: the global total of `mig_rate`, `"wpp-net"` (the sum over areas of
  the absolute WPP net migration of the period, published) or `"da_min_closed"`.
- `pb_weight`: the weight of the independence fit in `da_pb_closed`, a number in [0, 1]
  (published: `PUBLISHED_PB_WEIGHT` = 0.13, the fixed mix `0.87 · da_min_closed + 0.13 ·
  independence` of the estimation script published with Abel & Cohen 2019, the weight
  Azose & Raftery 2019 calibrated on European flows), or `"bfh-pooled"` / `"bfh"`: the
  Bishop-Fienberg-Holland risk-minimising weight computed on the store's tables (one per
  period, or per birthplace; about 5e-6, see docs/flows.md).
- `wpp2019_periods`: the dates of WPP 2019's five-year births, deaths and net migration,
  `"july-june"` (1 July t - 30 June t+5, as WPP publishes them) or `"calendar"`
  (1 January t - 31 December t+4, the earlier, wrong reading).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from tmo.errors import InputError

UNKNOWN_ORIGIN = ("native-born", "share")
OPEN_METHODS = ("open-dr", "open")
MIG_RATE_TOTALS = ("wpp-net", "da_min_closed")
PB_WEIGHTS = ("bfh-pooled", "bfh")
# da_pb_closed of the published estimates: `e6 <- 0.87 * e5 + (1 - 0.87) * e6_ind`, e5 the
# closed minimum-migration flows, e6_ind the closed independence fit (`ffs_demo(...,
# stayer_assumption = FALSE)`), in the estimation script of Abel & Cohen (2019)
PUBLISHED_PB_WEIGHT = 0.13
WPP2019_PERIODS = ("july-june", "calendar")
# successor -> the state it is merged with while it has no stocks of its own
SUCCESSORS = {"SSD": "SDN", "SXM": "CUW", "BES": "CUW"}
# WPP 2019 five-year periods start on 1 July of their first year (`period_offset` years
# after 1 January), the other revisions' calendar years on 1 January
PERIOD_OFFSET = {"july-june": 0.5, "calendar": 0.0}


@dataclass(frozen=True)
class Conventions:
    """One named set of estimation conventions (see the module docstring)."""

    name: str = "published"
    unknown_origin: str = "native-born"
    merge_states: bool = True
    open_method: str = "open-dr"
    mig_rate_total: str = "wpp-net"
    pb_weight: str | float = PUBLISHED_PB_WEIGHT
    wpp2019_periods: str = "july-june"

    def __post_init__(self) -> None:
        for name, value, allowed in (("unknown_origin", self.unknown_origin, UNKNOWN_ORIGIN),
                                     ("open_method", self.open_method, OPEN_METHODS),
                                     ("mig_rate_total", self.mig_rate_total, MIG_RATE_TOTALS),
                                     ("wpp2019_periods", self.wpp2019_periods,
                                      WPP2019_PERIODS)):
            if value not in allowed:
                raise InputError(f"convention {name} must be one of {allowed}, got {value!r}")
        weight = self.pb_weight
        if isinstance(weight, str):
            if weight not in PB_WEIGHTS:
                raise InputError(f"convention pb_weight must be one of {PB_WEIGHTS} or a "
                                 f"number in [0, 1], got {weight!r}")
        elif not 0.0 <= float(weight) <= 1.0:
            raise InputError(f"convention pb_weight must lie in [0, 1], got {weight!r}")

    def with_options(self, **changes: object) -> Conventions:
        """A copy with some conventions changed (unknown names raise)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise InputError(f"unknown convention(s) {', '.join(unknown)}; known: "
                             f"{', '.join(sorted(known - {'name'}))}")
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        """One line naming every convention, for findings and the command's output."""
        return ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


PUBLISHED = Conventions()
PREVIOUS = Conventions("previous", unknown_origin="share", merge_states=False,
                       open_method="open", mig_rate_total="da_min_closed", pb_weight=0.1,
                       wpp2019_periods="calendar")
NAMED = {c.name: c for c in (PUBLISHED, PREVIOUS)}
