"""Answers checked against the OpenAPI spec the app publishes: the schema documented for
the answer's status and content type (JSON Schema 2020-12, as OpenAPI 3.1 writes it).
Shared by tests/web/test_api_answers.py and tests/registry/test_api_answers.py, which
record which operations answered successfully."""

from __future__ import annotations

import re
from typing import Any

import httpx
from jsonschema import Draft202012Validator


class Conformance:
    """Checks each `/api/` answer against `spec` and records, per operation (method and
    path template), the statuses seen."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.operations: list[tuple[str, re.Pattern[str], str]] = []
        for path, operations in spec["paths"].items():
            if path.startswith("/api/"):
                pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
                                     + "$")
                self.operations += [(m.upper(), pattern, path) for m in operations]
        # the most literal template first (/registry/me/export before /registry/{x}/...)
        self.operations.sort(key=lambda o: o[2].count("{"))
        self.seen: dict[tuple[str, str], set[int]] = {}

    def all(self, prefix: str = "/api/") -> set[tuple[str, str]]:
        return {(m, p) for m, _, p in self.operations if p.startswith(prefix)}

    def succeeded(self) -> set[tuple[str, str]]:
        return {op for op, codes in self.seen.items() if any(200 <= c < 300 for c in codes)}

    def hook(self, response: httpx.Response) -> None:
        """For a client's `event_hooks["response"]`: the answer read, then checked."""
        response.read()
        self.check(response)

    def check(self, response: httpx.Response) -> None:
        request = response.request
        path = request.url.path
        if not path.startswith("/api/"):
            return
        method = request.method
        found = next((p for m, rx, p in self.operations if m == method and rx.match(path)),
                     None)
        assert found is not None, f"{method} {path} is not in the spec"
        self.seen.setdefault((method, found), set()).add(response.status_code)
        documented = self.spec["paths"][found][method.lower()]["responses"]
        answer = documented.get(str(response.status_code))
        assert answer is not None, (f"{method} {found} answered {response.status_code}, "
                                    f"not documented: {sorted(documented)}")
        kind = response.headers.get("content-type", "").split(";")[0]
        content = answer.get("content", {})
        assert kind in content, f"{method} {found} answered {kind}, documented {list(content)}"
        if kind == "application/json":
            schema = {**content[kind]["schema"], "components": self.spec["components"]}
            errors = sorted(Draft202012Validator(schema).iter_errors(response.json()),
                            key=lambda e: list(e.path))
            assert not errors, (f"{method} {path} {response.status_code}: "
                                f"{errors[0].message} at {list(errors[0].path)}")
