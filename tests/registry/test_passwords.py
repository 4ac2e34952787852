"""Credential storage (OWASP ASVS 4.0 V2.4): Argon2id with at least 19 MiB of memory and
2 iterations, a salt per hash; tokens stored as digests only."""

from __future__ import annotations

import re

from tmo.registry.passwords import check_password, digest, hash_password, new_token


def test_hashes_are_argon2id_with_at_least_owasp_minimum_cost() -> None:
    stored = hash_password("correct horse battery")
    found = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
    assert found, stored
    memory_kib, iterations, _lanes = map(int, found.groups())
    assert memory_kib >= 19 * 1024
    assert iterations >= 2


def test_the_same_password_hashes_differently_and_checks() -> None:
    first, second = hash_password("correct horse battery"), hash_password(
        "correct horse battery")
    assert first != second  # salted
    assert check_password(first, "correct horse battery")
    assert not check_password(first, "correct horse batterY")
    assert not check_password(None, "anything at all")
    assert not check_password("not a hash", "anything at all")


def test_tokens_are_random_and_stored_as_sha256() -> None:
    token = new_token()
    assert len(token) >= 43
    assert token != new_token()
    assert re.fullmatch(r"[0-9a-f]{64}", digest(token))
    assert token not in digest(token)
