"""Every API route with good and bad parameters: one envelope, never a server error."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def data(client: TestClient, url: str):
    r = client.get(url)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok"
    return body


def test_health_and_security_headers(client: TestClient) -> None:
    r = client.get("/api/v1/health")
    assert r.json()["data"]["tmo_version"]
    for header in ("X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options"):
        assert header in r.headers
    assert r.headers["Cache-Control"].startswith("public")


def test_countries(client: TestClient) -> None:
    body = data(client, "/api/v1/countries")["data"]
    codes = {c["iso3"] for c in body["countries"]}
    assert {"MDA", "DEU", "OOO", "XCX"} <= codes
    assert any(g["group_code"] == "UN:900" for g in body["groups"])


def test_profile_is_the_cli_profile(client: TestClient, web_store) -> None:
    from tmo.profiles.context import build_profile

    api = data(client, "/api/v1/countries/mda/profile")["data"]
    cli = build_profile(web_store, "MDA")
    assert api == cli  # one document: the CLI's JSON, the API's and the stored one
    assert api["emigration"]["figures"]["emigrant_stock"]["value"] == 864_257


def test_corridor_both_directions_and_flows(client: TestClient) -> None:
    body = data(client, "/api/v1/corridors/MDA/ITA")["data"]
    assert set(body["stocks"]) == {"MDA->ITA", "ITA->MDA"}
    trend = {r["year"]: r["total"] for r in body["stocks"]["MDA->ITA"]["trend"]}
    assert trend[2024] == 218_594
    assert body["flows"] and {f["origin"] for f in body["flows"]} <= {"MDA", "ITA"}


def test_flows_largest_first(client: TestClient) -> None:
    body = data(client, "/api/v1/flows?period_start=2015&limit=5")
    flows = [r["flow"] for r in body["data"]]
    assert len(flows) == 5 and flows == sorted(flows, reverse=True)
    body = data(client, "/api/v1/flows?country=MEX&limit=3")
    assert all("MEX" in (r["origin"], r["destination"]) for r in body["data"])


def test_practices_search_with_facets(client: TestClient) -> None:
    body = data(client, "/api/v1/practices?q=how%20can%20citizens%20abroad%20vote")
    assert body["data"][0]["id"] in {"mda-out-of-country-voting", "ecu-out-of-country-voting"}
    assert "theme" in body["meta"]["facets"]
    listed = data(client, "/api/v1/practices?country=URY&limit=50")["data"]
    assert listed and all("URY" in p["countries"] for p in listed)


def test_indicator_table_for_maps(client: TestClient) -> None:
    body = data(client, "/api/v1/indicators/immigrant_share?year=2024")
    by = {r["iso3"]: r for r in body["data"]}
    assert by["DEU"]["stock"] == 16_750_084  # IMS 2024 Table 1, as published
    profile = data(client, "/api/v1/countries/DEU/profile")["data"]
    assert by["DEU"]["value"] == profile["immigration"]["figures"]["immigrant_share"]["value"]


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/api/v1/countries/ZZZ/profile", 404, "unknown country"),
    ("/api/v1/countries/MDA/profile?year=2023", 404, "not an estimate year"),
    ("/api/v1/countries/MDA/profile?revision=1999", 404, "revision"),
    ("/api/v1/countries/TOOLONG/profile", 422, "invalid parameter"),
    ("/api/v1/countries/MDA/profile?year=abc", 422, "invalid parameter"),
    ("/api/v1/corridors/MDA/MDA", 422, "two different countries"),
    ("/api/v1/corridors/MDA/QQQ", 404, "unknown country"),
    ("/api/v1/flows?method=bogus", 422, "unknown method"),
    ("/api/v1/flows?sex=both", 422, "invalid parameter"),
    ("/api/v1/flows?limit=0", 422, "invalid parameter"),
    ("/api/v1/indicators/happiness", 422, "invalid parameter"),
    ("/api/v1/indicators/immigrant_share?year=2023", 404, "not an estimate year"),
    ("/api/v1/practices?q=%20&country=ZZZ", 404, "unknown country"),
    ("/api/v1/nowhere", 404, "Not Found"),
])
def test_bad_parameters(client: TestClient, url: str, status: int, words: str) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status"] == "error" and body["error"]["code"] == status
    assert words in body["error"]["message"]


def test_oversized_body_is_refused(client: TestClient) -> None:
    r = client.post("/api/v1/health", content=b"x" * 100_000)
    assert r.status_code == 413 and r.json()["status"] == "error"


def test_gzip(client: TestClient) -> None:
    r = client.get("/api/v1/countries", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/v1/countries", "/api/v1/countries/{iso3}/profile",
                  "/api/v1/corridors/{a}/{b}", "/api/v1/flows", "/api/v1/practices",
                  "/api/v1/indicators/{indicator}", "/api/v1/health"):
        assert route in paths


def test_downloads(client: TestClient) -> None:
    r = client.get("/api/v1/flows?period_start=2015&limit=3&format=csv")
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == "method,sex,period_start,period_end,origin,destination,flow"
    assert len(lines) == 4
    r = client.get("/api/v1/indicators/immigrant_share?format=csv")
    assert r.text.startswith("iso3,value,stock") and "DEU," in r.text
    r = client.get("/api/v1/corridors/MDA/ITA?format=csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == ("origin,destination,year,total,female,male,source_files,"
                        "source_query")
    assert "MDA,ITA,2024,218594," in r.text and len(lines) == 1 + 2 * 8
    assert ("SELECT * FROM migrant_stock WHERE revision = '2024' AND origin = 'MDA' AND "
            "destination = 'ITA' AND year = 2024") in r.text
    r = client.get("/countries/MDA/profile.pdf?lang=fr")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    page = client.get("/countries/MDA").text
    assert "/countries/MDA/profile.pdf?lang=en" in page


def test_profile_answer_plain_and_gzip_are_the_same(client: TestClient) -> None:
    import gzip

    import httpx

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


def test_health_reports_the_build(client: TestClient) -> None:
    body = data(client, "/api/v1/health")["data"]
    assert body["fingerprint"] and body["stages"] == "build,flows"  # the web store has flows
    assert body["profiles_stored"] >= 230


def test_corridor_picker_and_largest_corridors(client: TestClient) -> None:
    r = client.get("/corridors?a=mex&b=usa", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/corridors/MEX/USA"
    page = client.get("/corridors").text
    assert '<a href="/corridors/MEX/USA">' in page  # the largest corridor of 2024
    src = client.app.state.tmo.current.cursor().execute(
        "SELECT src_file, src_row FROM migrant_stock WHERE revision = '2024' AND year = 2024 "
        "AND origin = 'MEX' AND destination = 'USA' AND sex = 'total'").fetchone()
    assert f"{src[0]}, row {src[1]}" in page  # each figure names its source rows
    assert client.get("/corridors?a=MEXICO").status_code == 422


def test_corridor_page_flows_by_method(client: TestClient) -> None:
    page = client.get("/corridors/MDA/ITA?method=da_pb_closed").text
    assert ("view migrant_stock WHERE revision = &#39;2024&#39; AND origin = &#39;MDA&#39; AND "
            "destination = &#39;ITA&#39;") in page  # where the stock chart comes from
    assert "Estimated flows per period, da_pb_closed" in page
    page = client.get("/corridors/MDA/ITA?method=da_min_closed").text
    assert "No flows stored for da_min_closed" in page  # the tests store one method
    r = client.get("/corridors/MDA/ITA?method=bogus")
    assert r.status_code == 404 and "unknown method" in r.json()["error"]["message"]


def test_errors_are_html_for_browsers_and_json_for_the_api(client: TestClient) -> None:
    html = {"Accept": "text/html,application/xhtml+xml"}
    r = client.get("/countries/ZZZ", headers=html)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "unknown country" in r.text and "<h1>Not found</h1>" in r.text
    r = client.get("/countries/ZZZ")  # a program asking for the page gets the envelope
    assert r.json()["error"]["code"] == 404
    r = client.get("/api/v1/countries/ZZZ/profile", headers=html)
    assert r.headers["content-type"].startswith("application/json")
    r = client.get("/nowhere", headers=html)
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.text


def test_one_practice_whole(client: TestClient) -> None:
    body = data(client, "/api/v1/practices/ury-postal-remittances")["data"]
    assert body["countries"] == ["URY", "CHL", "ESP"]
    assert body["figures"][0]["value"] == 40 and body["source"]["document"].startswith("000_")
    r = client.get("/api/v1/practices/ury-postal-remitances")
    assert r.status_code == 404 and "closest: ury-postal-remittances" in r.json()["error"][
        "message"]
    assert client.get("/api/v1/practices/NOT%20AN%20ID").status_code == 422


def test_practice_page(client: TestClient) -> None:
    page = client.get("/practices/ury-postal-remittances").text
    assert "<h1>Cheaper remittances through the postal services" in page
    assert '<a href="/countries/URY">' in page  # its countries open their profiles
    assert "final report of the workshop" in page  # the source document by its title
    assert '<a href="/practices/ury-departamento-20">' in page  # related practices
    listing = client.get("/practices?q=cheaper+remittances").text
    assert '<a href="/practices/ury-postal-remittances">' in listing


def test_every_name_offered_by_the_search_box_opens_its_country(client: TestClient) -> None:
    offered = client.app.state.tmo.current.country_list
    assert len(offered) > 200
    page = client.get("/").text
    assert all(f'<option value="{c["name"]}">' in page.replace("&#39;", "'")
               for c in offered[:20])
    wrong = {}
    for c in offered:
        r = client.get("/search", params={"q": c["name"]}, follow_redirects=False)
        if r.headers.get("location") != f"/countries/{c['iso3']}":
            wrong[c["name"]] = (r.status_code, r.headers.get("location"))
    assert wrong == {}
