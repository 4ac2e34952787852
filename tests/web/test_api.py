"""Every API route with good and bad parameters: one envelope, never a server error.

On the fixture store (hand-made figures, tests/fixture_store/figures.py); the same routes
answering real published figures are in test_published.py."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import web_state


def data(client: TestClient, url: str):
    r = client.get(url)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok"
    return body


def test_health_and_security_headers(fixture_client: TestClient) -> None:
    r = fixture_client.get("/api/v1/health")
    assert r.json()["data"]["tmo_version"]
    for header in ("X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options"):
        assert header in r.headers
    assert r.headers["Cache-Control"].startswith("public")


def test_countries(fixture_client: TestClient) -> None:
    body = data(fixture_client, "/api/v1/countries")["data"]
    codes = {c["iso3"] for c in body["countries"]}
    assert {"MDA", "DEU", "OOO", "XCX"} <= codes
    assert any(g["group_code"] == "UN:900" for g in body["groups"])


def test_only_areas_with_a_published_stock_have_a_profile(fixture_client: TestClient) -> None:
    """The eight fixture countries have a migrant stock (tests/fixture_store/figures.py);
    an area of the registry without one is listed with profile false, and its profile
    answers 404 saying why, instead of a document of empty figures."""
    listed = data(fixture_client, "/api/v1/countries")["data"]["countries"]
    with_profile = {c["iso3"] for c in listed if c["profile"]}
    assert with_profile == {"DEU", "ETH", "ITA", "MDA", "PHL", "ROU", "TUV", "USA"}
    lacking = [c for c in listed if not c["profile"]]
    assert lacking, [(c["iso3"], c["kind"]) for c in listed]
    without = lacking[0]
    answer = fixture_client.get(f"/api/v1/countries/{without['iso3']}/profile")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == (
        f"no Migration Profile for {without['name']} ({without['iso3']}): the "
        "International Migrant Stock 2024 publishes no figures for it")


def test_profile_is_the_cli_profile(fixture_client: TestClient, fixture_web_store) -> None:
    from tmo.profiles.context import build_profile

    api = data(fixture_client, "/api/v1/countries/mda/profile")["data"]
    cli = build_profile(fixture_web_store, "MDA")
    assert api == cli  # one document: the CLI's JSON, the API's and the stored one
    # 10,000 (DEU) + 50,000 (ITA) + 20,000 (ROU) + 10,000 (USA); real: test_published.py
    assert api["emigration"]["figures"]["emigrant_stock"]["value"] == 90_000


def test_corridor_both_directions_and_flows(fixture_client: TestClient) -> None:
    body = data(fixture_client, "/api/v1/corridors/MDA/ITA")["data"]
    assert set(body["stocks"]) == {"MDA->ITA", "ITA->MDA"}
    trend = {r["year"]: r["total"] for r in body["stocks"]["MDA->ITA"]["trend"]}
    assert trend[2024] == 50_000  # 30,000 + 20,000; real: test_published.py
    assert body["flows"]
    assert {f["origin"] for f in body["flows"]} <= {"MDA", "ITA"}


def test_flows_largest_first(fixture_client: TestClient) -> None:
    body = data(fixture_client, "/api/v1/flows?period_start=2015&limit=5")
    flows = [r["flow"] for r in body["data"]]
    assert len(flows) == 5
    assert flows == sorted(flows, reverse=True)
    body = data(fixture_client, "/api/v1/flows?country=MDA&limit=3")
    assert len(body["data"]) == 3
    assert all("MDA" in (r["origin"], r["destination"]) for r in body["data"])


def test_practices_search_with_facets(fixture_client: TestClient) -> None:
    body = data(fixture_client, "/api/v1/practices?q=how%20can%20citizens%20abroad%20vote")
    assert body["data"][0]["id"] in {"mda-out-of-country-voting", "ecu-out-of-country-voting"}
    assert "theme" in body["meta"]["facets"]
    listed = data(fixture_client, "/api/v1/practices?country=URY&limit=50")["data"]
    assert listed
    assert all("URY" in p["countries"] for p in listed)


def test_indicator_table_for_maps(fixture_client: TestClient) -> None:
    body = data(fixture_client, "/api/v1/indicators/immigrant_share?year=2024")
    by = {r["iso3"]: r for r in body["data"]}
    assert by["DEU"]["stock"] == 110_000  # the fixture's DEU row; real: test_published.py
    profile = data(fixture_client, "/api/v1/countries/DEU/profile")["data"]
    assert by["DEU"]["value"] == profile["immigration"]["figures"]["immigrant_share"]["value"]


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/api/v1/countries/ZZZ/profile", 404, "unknown country"),
    ("/api/v1/countries/MDA/profile?year=2023", 404, "not an estimate year"),
    ("/api/v1/countries/MDA/profile?revision=1999", 404, "revision"),
    ("/api/v1/countries/TOOLONG/profile", 422, "invalid parameter"),
    ("/api/v1/countries/MDA/profile?year=abc", 422, "invalid parameter"),
    ("/api/v1/corridors/MDA/MDA", 422, "two different countries"),
    ("/api/v1/corridors/MDA/QQQ", 404, "unknown country"),
    ("/api/v1/flows?method=bogus", 422, "invalid parameter query.method"),
    ("/api/v1/flows?method=da_min_closed", 404, "no flows are stored for the method"),
    ("/api/v1/flows?period_start=1991", 404, "no period starts in 1991"),
    ("/api/v1/flows?sex=both", 422, "invalid parameter"),
    ("/api/v1/flows?limit=0", 422, "invalid parameter"),
    ("/api/v1/indicators/happiness", 422, "invalid parameter"),
    ("/api/v1/indicators/immigrant_share?year=2023", 404, "not an estimate year"),
    ("/api/v1/practices?q=%20&country=ZZZ", 404, "unknown country"),
    ("/api/v1/nowhere", 404, "Not Found"),
])
def test_bad_parameters(fixture_client: TestClient, url: str, status: int, words: str) -> None:
    r = fixture_client.get(url)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == status
    assert words in body["error"]["message"]


def test_oversized_body_is_refused(fixture_client: TestClient) -> None:
    r = fixture_client.post("/api/v1/health", content=b"x" * 100_000)
    assert r.status_code == 413
    assert r.json()["status"] == "error"


def test_gzip(fixture_client: TestClient) -> None:
    r = fixture_client.get("/api/v1/countries", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"


def test_openapi_documents_every_route(fixture_client: TestClient) -> None:
    paths = fixture_client.get("/openapi.json").json()["paths"]
    for route in ("/api/v1/countries", "/api/v1/countries/{iso3}/profile",
                  "/api/v1/corridors/{a}/{b}", "/api/v1/flows", "/api/v1/practices",
                  "/api/v1/indicators/{indicator}", "/api/v1/health"):
        assert route in paths


def test_downloads(fixture_client: TestClient) -> None:
    client = fixture_client
    r = client.get("/api/v1/flows?period_start=2015&limit=3&format=csv")
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == "method,sex,period_start,period_end,origin,destination,flow"
    assert len(lines) == 4
    r = client.get("/api/v1/indicators/immigrant_share?format=csv")
    assert r.text.startswith("iso3,value,stock")
    assert "DEU," in r.text
    # MDA/ROU: the fixture has people in both directions (none born in ITA lives in MDA)
    r = client.get("/api/v1/corridors/MDA/ROU?format=csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == ("origin,destination,year,total,female,male,source_files,"
                        "source_query")
    assert "MDA,ROU,2024,20000,10000,10000," in r.text  # MDA/ITA real: test_published.py
    assert "ROU,MDA,2024,5000,3000,2000," in r.text
    assert len(lines) == 1 + 2 * 8
    assert ("SELECT * FROM migrant_stock WHERE revision = '2024' AND origin = 'MDA' AND "
            "destination = 'ROU' AND year = 2024") in r.text
    r = client.get("/countries/MDA/profile.pdf?lang=fr")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    page = client.get("/countries/MDA").text
    assert "/countries/MDA/profile.pdf?lang=en" in page


def test_profile_answer_plain_and_gzip_are_the_same(fixture_client: TestClient) -> None:
    import gzip

    import httpx

    client = fixture_client
    plain = client.get("/api/v1/countries/TUV/profile", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"  # once
    # read the compressed bytes as sent, without the client's own decoding
    with httpx.Client(transport=client._transport, base_url="http://testserver") as raw, \
            raw.stream("GET", "/api/v1/countries/TUV/profile",
                       headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["vary"] == "Accept-Encoding"
        body = b"".join(packed.iter_raw())
    assert gzip.decompress(body) == plain.content
    assert plain.json()["data"]["country"]["iso3"] == "TUV"


def test_health_reports_the_build(fixture_client: TestClient) -> None:
    body = data(fixture_client, "/api/v1/health")["data"]
    assert body["fingerprint"]
    assert body["stages"] == "build,flows"  # the web store has flows
    assert body["profiles_stored"] == 8  # the fixture's countries; real: test_published.py


def test_corridor_picker_and_largest_corridors(fixture_client: TestClient) -> None:
    client = fixture_client
    r = client.get("/corridors?a=mda&b=ita", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/corridors/MDA/ITA"
    page = client.get("/corridors").text
    # the largest corridor of 2024: 180,000 born in PHL in USA; real: test_published.py
    assert '<a href="/corridors/PHL/USA">' in page
    src = web_state(client).current.cursor().execute(
        "SELECT src_file, src_sheet, src_row FROM migrant_stock WHERE revision = '2024' AND "
        "year = 2024 AND origin = 'PHL' AND destination = 'USA' AND sex = 'total'").fetchone()
    assert src is not None
    # each figure names its source rows (the fixture's workbook edition: with its sheet)
    assert f"{src[0]}, {src[1]}, row {src[2]}" in page
    assert client.get("/corridors?a=MEXICO").status_code == 422


def test_corridor_page_flows_by_method(fixture_client: TestClient) -> None:
    client = fixture_client
    page = client.get("/corridors/MDA/ITA?method=da_pb_closed").text
    assert ("view migrant_stock WHERE revision = &#39;2024&#39; AND origin = &#39;MDA&#39; AND "
            "destination = &#39;ITA&#39;") in page  # where the stock chart comes from
    assert "Estimated flows per period, Demographic accounting, pseudo-Bayes" in page
    # the picker offers the stored methods only (the tests store one), by plain name
    picker = page.split('id="method"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)"', picker) == ["da_pb_closed"]
    r = client.get("/corridors/MDA/ITA?method=da_min_closed")
    assert r.status_code == 404  # a method with nothing stored is not offered or answered
    assert r.json()["error"] == {"code": 404, "message": "no flows are stored for the method "
                                 "'da_min_closed'", "hint": "stored: da_pb_closed"}
    r = client.get("/corridors/MDA/ITA?method=bogus")
    assert r.status_code == 404
    assert "unknown method" in r.json()["error"]["message"]


def test_errors_are_html_for_browsers_and_json_for_the_api(fixture_client: TestClient) -> None:
    client = fixture_client
    html = {"Accept": "text/html,application/xhtml+xml"}
    r = client.get("/countries/ZZZ", headers=html)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "No country matches &#39;ZZZ&#39;." in r.text  # with the closest names as links
    assert "<h1>Not found</h1>" in r.text
    r = client.get("/countries/ZZZ")  # a program asking for the page gets the envelope
    assert r.json()["error"]["code"] == 404
    r = client.get("/api/v1/countries/ZZZ/profile", headers=html)
    assert r.headers["content-type"].startswith("application/json")
    r = client.get("/nowhere", headers=html)
    assert r.status_code == 404
    assert "<h1>Not found</h1>" in r.text


def test_one_practice_whole(fixture_client: TestClient) -> None:
    client = fixture_client
    body = data(client, "/api/v1/practices/ury-postal-remittances")["data"]
    assert body["countries"] == ["URY", "CHL", "ESP"]
    assert body["figures"][0]["value"] == 40
    assert body["source"]["document"].startswith("000_")
    r = client.get("/api/v1/practices/ury-postal-remitances")
    assert r.status_code == 404
    assert "closest: ury-postal-remittances" in r.json()["error"]["message"]
    assert client.get("/api/v1/practices/NOT%20AN%20ID").status_code == 422


def test_practice_page_links_the_countries_the_store_knows(fixture_client: TestClient) -> None:
    page = fixture_client.get("/practices/mda-out-of-country-voting").text
    assert '<h1 lang="en">Moldova' in page  # the record is in English, on every page
    assert '<a href="/countries/MDA?lang=en">' in page  # its countries open their profiles
    page = fixture_client.get("/practices/ury-postal-remittances").text
    assert "/countries/URY" not in page  # no Uruguay in the fixture store: no dead link
    listing = fixture_client.get("/practices?q=cheaper+remittances").text
    assert '<a href="/practices/ury-postal-remittances">' in listing


def test_every_name_offered_by_the_search_box_opens_its_country(
        fixture_client: TestClient) -> None:
    client = fixture_client
    offered = web_state(client).current.country_list
    assert {c["iso3"] for c in offered} >= {"MDA", "ROU", "DEU", "ITA", "PHL", "TUV", "USA",
                                            "ETH"}
    page = client.get("/").text
    assert all(f'<option value="{c["name"]}">' in page.replace("&#39;", "'")
               for c in offered)
    wrong = {}
    for c in offered:
        r = client.get("/search", params={"q": c["name"]}, follow_redirects=False)
        if r.headers.get("location") != f"/countries/{c['iso3']}":
            wrong[c["name"]] = (r.status_code, r.headers.get("location"))
    assert wrong == {}
