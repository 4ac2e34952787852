"""The Migration Profile as one typed document, the same everywhere: `tmo profile --format
json`, `GET /api/v1/countries/{iso3}/profile`, the stored `profiles` table and what every
renderer receives. `schema` names its version; a change of shape changes it.

Every figure carries its sources (`tmo.store.evidence.Source` as a mapping: view, filter,
revision, files, rows); `sources` lists the provenance of exactly the files the figures
cite. Names, indicator definitions and map shapes are not in the document: they are the
same for every profile and travel once, in `tmo.profiles.lexicon.Lexicon`.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

SCHEMA = "tmo.profile/2"


class SourceDoc(TypedDict):
    view: str
    filter: str
    revision: str
    files: list[str]
    rows: list[str]
    n_rows: int


class FigureDoc(TypedDict):
    indicator: str
    value: float | int | None
    unit: str
    year: int | None
    sources: list[SourceDoc]
    note: str | None
    detail: dict[str, Any]


class StockSection(TypedDict, total=False):
    figures: dict[str, FigureDoc]
    trend: list[dict[str, Any]]  # year, total, female, male
    by_origin: list[dict[str, Any]]  # area, stock (immigration)
    by_destination: list[dict[str, Any]]  # area, stock (emigration)


class Section(TypedDict, total=False):
    figures: dict[str, FigureDoc]
    trend: list[dict[str, Any]]
    corridor_costs: list[dict[str, Any]]


class CorridorRow(TypedDict):
    partner: str
    immigrants_from: int
    emigrants_to: int


class PracticeRef(TypedDict):
    id: str
    title: str
    countries: list[str]
    themes: list[str]
    level: str
    summary: str
    source: str
    via: str  # the country whose link brought the practice into the profile


class PartnerReason(TypedDict):
    side: str  # "destination" (of the country's emigrants) or "origin" (of its immigrants)
    rank: int  # 1 = the largest, the unknown origin left out
    stock: int  # the profile's corridor figure (its `corridors` row)
    year: int
    sources: list[SourceDoc]  # the migrant_stock row of the figure


class PartnerPractices(TypedDict):
    partner: str
    reasons: list[PartnerReason]
    # tmo.profiles.policy: the country's good practices, its main partners' (with why) and
    # the agreements it is in; added within tmo.profile/2 (renderers use .get)
    policy_framework: PolicyFramework
    practices: list[PracticeRef]  # policy_framework's own then partners' practices, flat


class PolicyFramework(TypedDict):
    own: list[PracticeRef]  # the practices naming the country
    partners: list[PartnerPractices]  # its main corridor partners' (not repeated)
    agreements: list[str]  # ids of the `social_security` agreements
    not_held: list[str]  # kinds of agreement tmo holds no data on


class Profile(TypedDict):
    schema: str
    tmo_version: str
    country: dict[str, Any]  # the `countries` row, provenance columns left out
    year: int
    revision: str
    years: list[int]
    immigration: StockSection
    emigration: StockSection
    corridors: list[CorridorRow]
    corridor_trends: list[dict[str, Any]]  # "A->B": origin, destination, trend, source
    net_position: dict[str, Any]
    refugees: Section
    remittances: Section
    # tmo.remittances: the country as receiver and sender (light, corridors, fees); added
    # within tmo.profile/2 (documents stored before it lack the key: renderers use .get)
    remittance_costs: dict[str, Any]
    # tmo.pensions: the shipped social security agreements naming the country, with the
    # migrants between it and the other members (added within tmo.profile/2 likewise)
    social_security: list[dict[str, Any]]
    # tmo.profiles.outlook: immigrants, emigrants and main corridors projected to
    # 2030-2050 with 80 % and 95 % intervals and the stored backtest; {} when the store
    # holds no projection (added within tmo.profile/2 likewise)
    projections: dict[str, Any]
    # tmo.profiles.changed: this IMS revision against the previous one for the country
    # (figures, both series, corridors revised most, rank changes, reversed trends);
    # {} when the store compared none (added within tmo.profile/2 likewise)
    what_changed: dict[str, Any]
    # tmo.profiles.survey_section: published survey aggregates (survey estimates with
    # their intervals; empty unless `tmo survey publish` stored a survey of the country)
    surveys: list[dict[str, Any]]
    # tmo.profiles.demography: WPP population by sex, projected to 2050, natural change and
    # net migration by period, the age structure of the latest year with age groups
    # (None: no data; left out of an area profile without them); {} without WPP figures
    # (added within tmo.profile/2)
    demography: dict[str, Any]
    # tmo.profiles.country_flows: estimated flows by period (default method, range across
    # methods), WPP net migration, reported flows; {} when none (added within tmo.profile/2)
    country_flows: dict[str, Any]
    # tmo.profiles.asylum: asylum applications, decisions and recognition rates, durable
    # solutions (the country as asylum and as origin) and IDMC's internally displaced;
    # {} when no file has a row for the country (added within tmo.profile/2)
    asylum: dict[str, Any]
    # tmo.registry: the registry's published aggregates (registered diaspora by country of
    # residence beside UN DESA's estimate); {} when none (added within tmo.profile/2)
    registered_diaspora: dict[str, Any]
    regional: list[dict[str, Any]]  # area, level, immigrant_share, immigrant_stock, sources
    # tmo.profiles.policy: the country's good practices, its main partners' (with why) and
    # the agreements it is in; added within tmo.profile/2 (renderers use .get)
    policy_framework: PolicyFramework
    practices: list[PracticeRef]  # policy_framework's own then partners' practices, flat
    # tmo.profiles.caveats: what a reader must know beside a figure (figure, check,
    # values, English text, sources); added within tmo.profile/2 (renderers use .get)
    caveats: list[dict[str, Any]]
    # tmo.profiles.data_gaps: what the figures leave out or cannot settle, since when, and
    # what it means (check, figure, finding, values, English text, sources); from the
    # caveats and the headline figures without data (added within tmo.profile/2)
    data_gaps: list[dict[str, Any]]
    # tmo.profiles.messages: the main figures as templated sentences (key, values,
    # figures, sources); added within tmo.profile/2
    key_messages: list[dict[str, Any]]
    sources: list[dict[str, Any]]  # provenance rows of the files the figures cite
    # tmo.profiles.partial: only in the partial profile of a place the IMS publishes no
    # figure for (Kosovo): why its IMS-based sections are empty (revisions, each with the
    # query that finds no row; the IMS's note and the area that includes it, None unless
    # a source in the store gives them)
    ims_absent: NotRequired[dict[str, Any]]
