"""Every word of the registry in English, French and Spanish, and the field checks
answering in the registrant's language."""

from __future__ import annotations

import re

import pytest

from tmo.registry.access import Invalid
from tmo.registry.fields import clean
from tmo.registry.i18n import KINDS, LANGUAGES, TEXT, t

SERVED = {"GBR": 1, "ZAF": 2}


def test_every_key_is_in_every_language_and_says_something_else() -> None:
    for lang in LANGUAGES:
        assert set(TEXT[lang]) == set(TEXT["en"]), lang
        assert set(KINDS[lang]) == set(KINDS["en"]), lang
    same = {k for k in TEXT["en"] if TEXT["fr"][k] == TEXT["en"][k] and len(TEXT["en"][k]) > 8}
    assert same == {"intentions"}  # the same word in French; no English sentence left
    for key, text in TEXT["en"].items():  # the same placeholders in each language
        for lang in ("fr", "es"):
            assert set(re.findall(r"{(\w+)}", TEXT[lang][key])) == \
                set(re.findall(r"{(\w+)}", text)), (lang, key)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "at most 200 characters"), ("fr", "200 caractères au plus"),
    ("es", "200 caracteres como máximo")])
def test_field_messages_are_in_the_registrants_language(lang: str, expected: str) -> None:
    with pytest.raises(Invalid) as err:
        clean({"name": "x" * 201, "email": "a@b.org", "password": "p" * 12,
               "residence": "GBR", "mission": 1}, lang, SERVED)
    assert err.value.fields == {"name": expected}


def test_each_bad_field_is_named_once() -> None:
    with pytest.raises(Invalid) as err:
        clean({"name": "", "email": "a@b", "password": "short", "residence": "XXX",
               "mission": "one", "birth_year": 1850, "sex": "f", "education": "9",
               "occupation": "A123", "languages": "english", "departure_year": "x",
               "intends_vote": "maybe", "consents": ["spam"], "status": "visa"}, "en",
              SERVED)
    fields = err.value.fields
    assert fields == {
        "name": t("en", "err_required"), "email": t("en", "err_email"),
        "password": t("en", "err_too_short", n=12),
        "residence": t("en", "err_country", value="XXX"),
        "mission": t("en", "err_type", kind="a whole number"),
        "birth_year": fields["birth_year"], "sex": t("en", "err_code", value="f"),
        "education": t("en", "err_code", value="9"),
        "occupation": t("en", "err_code", value="A123"),
        "languages": t("en", "err_code", value="english"),
        "departure_year": t("en", "err_type", kind="a whole number"),
        "intends_vote": t("en", "err_type", kind="true or false"),
        "consents": t("en", "err_code", value="['spam']"),
        "status": t("en", "err_unknown")}
    assert fields["birth_year"].startswith("a year from 1900 to ")


def test_a_mission_must_serve_the_country_of_residence() -> None:
    with pytest.raises(Invalid) as err:
        clean({"name": "A", "email": "a@b.org", "password": "p" * 12, "residence": "gbr",
               "mission": 2}, "es", SERVED)
    assert err.value.fields == {"mission": "esta misión no atiende el país de residencia"}
    ok = clean({"name": " A ", "email": "A@B.org", "password": "p" * 12, "residence": "gbr",
                "mission": "1", "languages": "EN, ny"}, "en", SERVED)
    assert (ok["name"], ok["email"], ok["residence"], ok["mission"], ok["languages"]) == \
        ("A", "a@b.org", "GBR", 1, "en,ny")
