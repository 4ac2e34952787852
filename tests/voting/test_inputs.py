"""The user's CSV files: places resolved (coordinates, or the store's capital), figures
checked, every problem naming the file and the line."""

from __future__ import annotations

import pytest

from tmo.errors import InputError
from tmo.store import facts
from tmo.voting.inputs import read_past_plan, read_registrations

from .conftest import write_csv


@pytest.fixture
def places(con):
    return facts.registry(con), facts.capitals(con)


def test_registrations_resolve_countries_and_places(tmp_path, places):
    path = write_csv(tmp_path, "r.csv", "country,city,lat,lon,registrations,votes\n"
                     "ITA,Milan,45.4642,9.19,3000,2500\n"
                     "Italy,Rome,,,1000,\n"
                     "DE,,,,400,300\n"
                     "ITA,Roma (Rome),,,500,100\n")
    rows = read_registrations(path, *places)
    assert [(r.place.country, r.place.city, r.place.located_by) for r in rows] == [
        ("ITA", "Milan", "the file"), ("ITA", "Rome", "the store's capital"),
        ("DEU", "Berlin", "the store's capital")]
    rome = rows[1]
    assert (rome.place.lat, rome.place.lon) == (41.89, 12.48)
    assert (rome.registrations, rome.votes) == (1500, 100)  # the two Rome rows add up
    assert rows[0].place.row == 2


@pytest.mark.parametrize(("text", "message"), [
    ("country,city,registrations\nITA,Bologna,5\n",
     "line 2: 'Bologna' has no coordinates and is not the capital of ITA (Roma (Rome))"),
    ("country,city,lat,lon,registrations\nITA,X,45,,5\n", "line 2: give both lat and lon"),
    ("country,city,lat,lon,registrations\nITA,X,95,9,5\n", "are not coordinates"),
    ("country,city,registrations\nAtlantis,,5\n", "line 2: unknown country 'Atlantis'"),
    ("country,city,registrations\nITA,,-5\n", "registrations '-5' is not a whole number"),
    ("country,city,registrations\nITA,,2.5\n", "registrations '2.5' is not a whole number"),
    ("country,city,registrations\nITA,,many\n", "registrations 'many' is not a whole number"),
    ("country,city,registrations,votes\nITA,,,\nITA,,1,\n", "neither registrations nor votes"),
    ("country,city\nITA,Rome\n", "the header lacks registrations or votes"),
    ("city,registrations\nRome,1\n", "the header lacks country"),
    ("country,registrations\n", "has no data rows"),
])
def test_registration_problems_name_the_line(tmp_path, places, text, message):
    path = write_csv(tmp_path, "r.csv", text)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_registrations(path, *places)


def test_thousands_separators_and_bom(tmp_path, places):
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffcountry,city,registrations\nITA,,\"1,200\"\n".encode())
    (row,) = read_registrations(path, *places)
    assert row.registrations == 1200


def test_unreadable_file(tmp_path, places):
    with pytest.raises(InputError, match="cannot read"):
        read_registrations(tmp_path / "none.csv", *places)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("country,city,registrations\nITA,Forl\xec,1\n".encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8"):
        read_registrations(bad, *places)


def test_past_plan(tmp_path, places):
    path = write_csv(tmp_path, "past.csv", "country,city,lat,lon,stations,voters\n"
                     "ITA,Rome,,,2,7000\nITA,Milan,45.46,9.19,1,\n")
    rows = read_past_plan(path, *places)
    assert [(r.place.city, r.stations, r.voters) for r in rows] == [
        ("Rome", 2, 7000), ("Milan", 1, None)]
    empty = write_csv(tmp_path, "empty.csv", "country,city,stations\nITA,,\n")
    with pytest.raises(InputError, match="line 2: stations is empty"):
        read_past_plan(empty, *places)
