"""A SYNTHETIC demo survey: made-up responses to both questionnaire modules, generated
from a country's published figures, to show and test the estimation without real data.

Nothing in it was observed. Every row carries `synthetic = SYNTHETIC`, every file name
starts with `SYNTHETIC_`, and the metadata file says how it was made. The same seed and
the same published figures give the same survey, byte for byte.

The design: `strata` strata, `psus` primary sampling units (clusters) drawn in each, a
fixed number of households per PSU, one adult respondent per household for the
attitudes module. Weights are population households over sampled households in each
stratum, varied between PSUs as a probability-proportional-to-size draw would vary them.
What the answers are drawn from (all stated in `Assumptions`, none of it a statistic):

- households = population / `household_size`;
- members abroad per household: Poisson with mean emigrants / households, raised or
  lowered per PSU by a cluster effect (so the design effect exceeds 1, as in a real
  cluster sample); each lives in a country drawn in proportion to the country's published
  emigrants there (ISO3 codes);
- households receiving money: every household with a member abroad with probability
  `receive_if_member`, others with `receive_otherwise`; amounts log-normal with the mean
  that spreads the published remittances received over the receiving households;
- perceived immigrant share: the published share times a log-normal factor around
  `overestimate` (respondents are made to overestimate, as the perception literature
  reports they often do), capped at 100.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tmo.errors import InputError
from tmo.surveys.published import Published

SYNTHETIC = "SYNTHETIC"
CARERS = ("parent", "grandparent", "relative", "sibling", "paid", "nobody")
FREQUENCIES = ("daily", "weekly", "monthly", "rarely", "never")
USES = ("food", "education", "health", "housing", "debt", "business", "savings")
SERVICES = ("school_support", "psychological", "health", "elderly_care", "legal", "financial")
RELATIONS = ("spouse", "child", "parent", "sibling", "other")
GOOD_BAD = ("good", "depends", "bad", "dont_know")


@dataclass(frozen=True)
class Assumptions:
    """The made-up parameters of the demo (none is a published figure)."""

    household_size: float = 4.0
    strata: int = 4
    psus: int = 12  # per stratum
    households_per_psu: int = 10
    cluster_sd: float = 0.5  # sd of the log of the PSU's multiplier of members abroad
    receive_if_member: float = 0.8
    receive_otherwise: float = 0.05
    amount_sd: float = 0.8  # sd of the log of the amount received
    overestimate: float = 2.0
    overestimate_sd: float = 0.6


@dataclass(frozen=True)
class DemoSurvey:
    """The three response tables and what made them."""

    households: pd.DataFrame
    members: pd.DataFrame
    attitudes: pd.DataFrame
    meta: dict[str, Any]

    def write(self, out: Path) -> list[Path]:
        """`SYNTHETIC_<ISO3>_{households,members,attitudes}.csv` and the survey's
        description, `SYNTHETIC_<ISO3>_survey.json` (`tmo.surveys.description`)."""
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in ("households", "members", "attitudes"):
            path = out / self.meta["files"][name]
            getattr(self, name).to_csv(path, index=False, lineterminator="\n")
            paths.append(path)
        meta = out / f"{SYNTHETIC}_{self.meta['country']}_survey.json"
        meta.write_text(json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        return [*paths, meta]


def _need(value: float | int | None, what: str, iso3: str) -> float:
    if value is None or not math.isfinite(float(value)) or float(value) <= 0:
        raise InputError(f"no published {what} for {iso3} in the store: the demo survey is "
                         "generated from it",
                         hint="choose a country with a migrant stock, a population and "
                              "remittances received (e.g. MDA)")
    return float(value)


def _design(rng: np.random.Generator, a: Assumptions, households: float) -> pd.DataFrame:
    """One row per sampled household: stratum, PSU, weight, the PSU's cluster effect."""
    shares = rng.dirichlet(np.full(a.strata, 8.0))
    rows = []
    for h in range(a.strata):
        size = rng.lognormal(0.0, 0.3, a.psus)  # PSU measures of size
        stratum_households = households * shares[h]
        for j in range(a.psus):
            # PPS: a PSU's households weigh its stratum's households over (PSUs x m x its
            # share of the stratum's size), so bigger PSUs' households weigh more
            weight = stratum_households / (a.psus * a.households_per_psu) * (
                size[j] / size.mean())
            effect = rng.normal(0.0, a.cluster_sd)
            rows += [(f"S{h + 1}", f"S{h + 1}-P{j + 1:02d}", weight, effect)
                     for _ in range(a.households_per_psu)]
    frame = pd.DataFrame(rows, columns=["stratum", "psu", "weight", "effect"])
    # the weights add up to the population's households
    frame["weight"] *= households / frame["weight"].sum()
    return frame


def _pick_many(rng: np.random.Generator, options: tuple[str, ...], p: float) -> str:
    chosen = [o for o in options if rng.random() < p]
    return " ".join(chosen or [options[0]])


def _households(rng: np.random.Generator, a: Assumptions, design: pd.DataFrame,
                per_household: float, mean_amount: float, *,
                destinations: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(design)
    size = 1 + rng.poisson(a.household_size - 1, n)
    children = np.minimum(rng.binomial(size - 1, 0.35), size - 1)
    elderly = rng.binomial(size - children, 0.12)
    lam = per_household * np.exp(design["effect"].to_numpy() - a.cluster_sd ** 2 / 2)
    abroad = np.minimum(rng.poisson(lam), 30)
    member_rows = []
    parent_abroad = np.zeros(n, dtype=int)
    codes = sorted(destinations)
    weights = np.array([destinations[c] for c in codes], dtype=float)
    for i in np.flatnonzero(abroad):
        for k in range(abroad[i]):
            relation = str(rng.choice(RELATIONS, p=[0.3, 0.35, 0.1, 0.15, 0.1]))
            is_parent = "yes" if relation == "spouse" and children[i] > 0 else "no"
            member_rows.append({
                "household": i + 1, "member": k + 1, "relation": relation,
                "sex": str(rng.choice(("female", "male"))),
                "age": int(rng.integers(18, 60)),
                "country": str(rng.choice(codes, p=weights / weights.sum())) if codes else "",
                "year_left": int(rng.integers(2000, 2025)), "is_parent_of_child": is_parent})
            if is_parent == "yes":
                parent_abroad[i] = children[i]
    receives = np.where(abroad > 0, rng.random(n) < a.receive_if_member,
                        rng.random(n) < a.receive_otherwise)
    # log-normal with mean `mean_amount`: mu = log(mean) - sd^2 / 2
    amount = rng.lognormal(math.log(mean_amount) - a.amount_sd ** 2 / 2, a.amount_sd, n)
    has_members = abroad > 0
    frame = pd.DataFrame({
        "household": np.arange(1, n + 1), "stratum": design["stratum"], "psu": design["psu"],
        "weight": design["weight"].round(4), "hh_size": size, "children_n": children,
        "members_abroad_n": abroad,
        "children_parent_abroad_n": np.where(has_members & (children > 0), parent_abroad,
                                             np.nan),
        "child_carer": [str(rng.choice(CARERS, p=[0.45, 0.3, 0.12, 0.05, 0.03, 0.05]))
                        if c > 0 else "" for c in parent_abroad],
        "elderly_n": elderly,
        "elderly_carer": [str(rng.choice(CARERS)) if e > 0 and m else ""
                          for e, m in zip(elderly, has_members, strict=True)],
        "contact_freq": [str(rng.choice(FREQUENCIES, p=[0.25, 0.45, 0.2, 0.08, 0.02]))
                         if m else "" for m in has_members],
        "remit_received": np.where(receives, "yes", "no"),
        "remit_amount": np.where(receives, amount.round(0), np.nan),
        "remit_use": [_pick_many(rng, USES, 0.4) if r else "" for r in receives],
        "service_needs": [_pick_many(rng, SERVICES, 0.25) if m else "" for m in has_members],
    })
    members = pd.DataFrame(member_rows, columns=["household", "member", "relation", "sex",
                                                 "age", "country", "year_left",
                                                 "is_parent_of_child"])
    return frame, members


def _attitudes(rng: np.random.Generator, a: Assumptions, households: pd.DataFrame,
               actual_share: float) -> pd.DataFrame:
    n = len(households)
    adults = (households["hh_size"] - households["children_n"]).clip(lower=1)
    factor = rng.lognormal(math.log(a.overestimate), a.overestimate_sd, n)
    perceived = np.minimum(np.round(actual_share * factor), 100)
    # acceptance: a respondent leaning (normal) shifted by the PSU's effect
    lean = rng.normal(0.3, 1.0, n)

    def item(shift: float) -> list[str]:
        score = lean - shift + rng.normal(0, 0.5, n)
        return [GOOD_BAD[0] if s > 0.3 else GOOD_BAD[2] if s < -0.6 else
                GOOD_BAD[3] if rng.random() < 0.15 else GOOD_BAD[1] for s in score]

    return pd.DataFrame({
        "respondent": np.arange(1, n + 1), "stratum": households["stratum"],
        "psu": households["psu"], "weight": (households["weight"] * adults).round(4),
        "respondent_sex": rng.choice(("female", "male"), n),
        "respondent_age": rng.integers(18, 85, n), "perceived_share": perceived,
        "accept_country": item(0.0), "accept_neighbour": item(0.2),
        "accept_family": item(0.5)})


def generate(figures: Published, *, seed: int = 2026,
             assumptions: Assumptions | None = None) -> DemoSurvey:
    """The synthetic survey of `figures.iso3` (pure: the same inputs give the same survey)."""
    a = assumptions or Assumptions()
    iso3 = figures.iso3
    pop = _need(figures.population.value, "population", iso3)
    emigrants = _need(figures.emigrant_stock.value, "emigrant stock", iso3)
    share = _need(figures.immigrant_share.value, "immigrant share", iso3)
    received = _need(figures.remittances_received.value, "remittances received", iso3)
    rng = np.random.default_rng(seed)
    households = pop / a.household_size
    per_household = emigrants / households
    expected_receivers = households * (a.receive_if_member * (1 - math.exp(-per_household))
                                       + a.receive_otherwise * math.exp(-per_household))
    design = _design(rng, a, households)
    hh, members = _households(rng, a, design, per_household, received / expected_receivers,
                              destinations=figures.destinations)
    att = _attitudes(rng, a, hh, share)
    for frame in (hh, members, att):
        frame.insert(0, "synthetic", SYNTHETIC)
    stem = f"{SYNTHETIC}_{iso3}"
    files = {name: f"{stem}_{name}.csv" for name in ("households", "members", "attitudes")}
    roles = {"weight": "weight", "strata": "stratum", "psu": "psu"}
    meta = {
        "id": f"{stem}_demo_{seed}",
        "title": {"en": f"{SYNTHETIC} demo survey of {iso3} (made up by tmo, not observed)",
                  "fr": f"Enquête de démonstration SYNTHÉTIQUE ({SYNTHETIC}) : {iso3} "
                        "(inventée par tmo, non observée)",
                  "es": f"Encuesta de demostración SINTÉTICA ({SYNTHETIC}): {iso3} "
                        "(inventada por tmo, no observada)"},
        "country": iso3, "fieldwork_year": figures.year, "currency": "US$",
        "synthetic": True,
        "modules": {"households": {"responses": files["households"],
                                   "members": files["members"], "member_key": "household",
                                   **roles},
                    "attitudes": {"responses": files["attitudes"], **roles}},
        "files": files, "seed": seed, "assumptions": asdict(a),
        "generated_from": figures.as_dict(),
    }
    return DemoSurvey(hh, members, att, meta)
