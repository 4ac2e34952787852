"""The terminology checker on the annotated corpus (corpus/terms_*.tsv: at least 150
sentences per language, positives and tricky negatives, written for these rules), and its
behaviour: quotes, law names, profiles, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmo.errors import InputError
from tmo.factcards import terms

CORPUS = Path(__file__).with_name("corpus")


def corpus(lang: str) -> list[tuple[set[str], str, str]]:
    out = []
    for line in (CORPUS / f"terms_{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        expected, profile, text = line.split("\t")
        out.append((set() if expected == "-" else set(expected.split(",")), profile, text))
    return out


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_precision_and_recall_on_the_corpus(lang: str) -> None:
    rows = corpus(lang)
    assert len(rows) >= 150
    assert sum(1 for want, _p, _t in rows if want) >= 40  # positives
    assert sum(1 for want, _p, _t in rows if not want) >= 80  # negatives
    tp = fp = fn = 0
    for want, profile, text in rows:
        got = {f.rule for f in terms.check(text, lang, profile)}
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"{lang}: precision {precision:.3f} recall {recall:.3f} ({len(rows)} sentences)")
    assert precision >= 0.95
    assert recall >= 0.90


def test_every_rule_fires_somewhere_in_the_corpus() -> None:
    named = {r for lang in ("en", "fr", "es") for want, _p, _t in corpus(lang) for r in want}
    assert named == {r.id for r in terms.RULES}


def test_people_flagged_acts_and_things_not() -> None:
    assert [f.rule for f in terms.check("They arrested 40 illegal immigrants.", "en")] == \
        ["en.illegal_person"]
    for text in ("Illegal logging and illegal entry are offences.",
                 "Refugees arrived; the refugees' children play.",
                 "A clandestine laboratory was found."):
        assert terms.check(text, "en") == []
    assert terms.check("la entrada ilegal y la pesca ilegal", "es") == []
    assert terms.check("le travail clandestin et le passager clandestin", "fr") == []


def test_quotes_and_law_names_are_not_flagged() -> None:
    assert terms.check('He said "illegal aliens" twice.', "en") == []
    assert terms.check("Il a dit « les clandestins » pour le dénoncer.", "fr") == []
    assert terms.check("The Illegal Immigrants (Criminal Liability) Act", "en") == []
    # the same words outside the quote are flagged
    assert len(terms.check('He said "illegal aliens"; illegal aliens, he repeated.', "en")) == 1


def test_profiles_disagree_where_the_guides_do() -> None:
    text = "Undocumented immigrants and illegal immigration."
    assert [f.rule for f in terms.check(text, "en", "iom")] == []
    assert [f.rule for f in terms.check(text, "en", "ap")] == ["en.undocumented"]
    assert [f.rule for f in terms.check(text, "en", "strict")] == ["en.illegal_migration"]
    assert [f.rule for f in terms.check("migrantes irregulares", "es", "fundeu")] == \
        ["es.irregular_person"]
    assert terms.check("migrantes irregulares", "es", "iom") == []


def test_a_flag_says_where_what_why_and_who_says_so() -> None:
    (flag,) = terms.check("First line.\nSome illegals came.", "en")
    assert (flag.line, flag.column, flag.text) == (2, 6, "illegals")
    d = flag.as_dict()
    assert d["suggest"]
    assert d["reason"]
    citations = d["citations"]
    assert isinstance(citations, list)
    assert any("Associated Press" in c for c in citations)
    assert all(r["citations"] for r in terms.rules_table())


def test_unknown_language_or_profile_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="unknown language 'de'"):
        terms.check("x", "de")
    with pytest.raises(InputError, match="unknown style profile 'nyt'"):
        terms.check("x", "en", "nyt")
