"""Release watch: ask each publisher's URL whether its file changed, without downloading it.

For every file of a source's downloadable edition, `check` sends a HEAD request with the
validators known for it (`If-None-Match` with the ETag, `If-Modified-Since` with the
Last-Modified date): 304 means unchanged; a 200 answer is compared on ETag, then
Last-Modified, then Content-Length. A server refusing HEAD (405, 501) is asked with a
conditional GET whose body is never read (the connection is closed after the headers).
Redirects are followed. Known validators come from the download's sidecar
(`<file>.meta.json`, written by `tmo build`) or, failing that, from the first check,
which records them in `<cache>/watch.json` as the baseline ("recorded").

Exit codes for cron (`tmo sources --check`): 0 nothing new, 2 at least one new release,
3 no new release found but some files could not be asked (missing, unreachable).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tmo.sources.base import SourceSpec

VALIDATORS = ("etag", "last_modified", "content_length")
HEADERS = {"etag": "ETag", "last_modified": "Last-Modified", "content_length": "Content-Length"}
AGENT = "tmo (migration observatory; release watch)"
NEW_RELEASE, UNREACHABLE = 2, 3


@dataclass(frozen=True)
class Check:
    """What the publisher answered for one file."""

    source: str
    file: str
    url: str
    status: str  # unchanged, changed, recorded, missing, unreachable
    detail: str  # why, in words
    seen: dict[str, str]  # validators the server gave now

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _KeepMethod(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the same method (Python 3.11's handler turns HEAD into GET,
    which would start a body)."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,  # noqa: PLR0917
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


def _validators(headers: Any) -> dict[str, str]:
    out = {}
    for key, name in HEADERS.items():
        value = headers.get(name)
        if value:
            out[key] = value.strip()
    return out


def _ask(url: str, known: dict[str, str], timeout: float, method: str
         ) -> tuple[int, dict[str, str]]:
    """(status, validators) of one request; the body is never read."""
    headers = {"User-Agent": AGENT}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    request = urllib.request.Request(url, headers=headers, method=method)
    opener = urllib.request.build_opener(_KeepMethod())
    try:  # redirects are followed, HEAD staying HEAD
        with opener.open(request, timeout=timeout) as response:
            return response.status, _validators(response.headers)
    except urllib.error.HTTPError as exc:
        seen = _validators(exc.headers) if exc.headers else {}
        exc.close()
        return exc.code, seen


def compare(known: dict[str, str], seen: dict[str, str]) -> tuple[str, str]:
    """(status, detail) of validators now against those known: the first validator both
    have decides (ETag, then Last-Modified, then Content-Length)."""
    for key in VALIDATORS:
        if known.get(key) and seen.get(key):
            if known[key] != seen[key]:
                return "changed", f"{HEADERS[key]} {known[key]} -> {seen[key]}"
            return "unchanged", f"same {HEADERS[key]}"
    return "unchanged", "the server gives no validator to compare; assumed unchanged"


def check_url(source: str, file: str, url: str, known: dict[str, str], *,
              timeout: float = 20) -> Check:
    """Ask one URL (see the module doc)."""
    try:
        code, seen = _ask(url, known, timeout, "HEAD")
        if code in (405, 501):
            code, seen = _ask(url, known, timeout, "GET")
    except (TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Check(source, file, url, "unreachable", f"no answer: {reason}", {})
    if code == 304:
        return Check(source, file, url, "unchanged", "304 Not Modified", seen or known)
    if code in (404, 410):
        return Check(source, file, url, "missing", f"HTTP {code}: the file is no longer "
                     "there (moved or withdrawn)", seen)
    if code >= 400:
        return Check(source, file, url, "unreachable", f"HTTP {code}", seen)
    if not known:
        return Check(source, file, url, "recorded", "first check: validators recorded as "
                     "the baseline", seen)
    status, detail = compare(known, seen)
    return Check(source, file, url, status, detail, seen)


def known_validators(cache_dir: Path, source: str, file: str, state: dict[str, Any]
                     ) -> dict[str, str]:
    """Validators of the copy in use: the download's sidecar, else the watch baseline."""
    meta_path = cache_dir / source / f"{file}.meta.json"
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        found = {k: str(meta[k]) for k in VALIDATORS if meta.get(k)}
        if found:
            return found
    return dict(state.get(f"{source}/{file}", {}))


def state_path(cache_dir: Path) -> Path:
    return cache_dir / "watch.json"


def load_state(cache_dir: Path) -> dict[str, Any]:
    path = state_path(cache_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def check(specs: Iterable[SourceSpec], cache_dir: Path, *, timeout: float = 20,
          progress: Callable[[Check], None] | None = None) -> list[Check]:
    """Ask every downloadable file of `specs`; baselines of first checks are recorded."""
    state = load_state(cache_dir)
    results = []
    for spec in specs:
        edition = next((e for e in spec.editions if all(f.url for f in e.files)), None)
        if edition is None:
            continue
        for fspec in edition.files:
            assert fspec.url is not None
            known = known_validators(cache_dir, spec.key, fspec.name, state)
            result = check_url(spec.key, fspec.name, fspec.url, known, timeout=timeout)
            if result.status == "recorded":
                state[f"{spec.key}/{fspec.name}"] = {
                    **result.seen, "recorded_at": datetime.now(UTC).isoformat(
                        timespec="seconds")}
            results.append(result)
            if progress:
                progress(result)
    if any(r.status == "recorded" for r in results):
        cache_dir.mkdir(parents=True, exist_ok=True)
        state_path(cache_dir).write_text(json.dumps(state, indent=1), encoding="utf-8")
    return results


def exit_code(results: list[Check]) -> int:
    """0 nothing new, 2 a new release, 3 some files could not be asked (and none new)."""
    if any(r.status == "changed" for r in results):
        return NEW_RELEASE
    if any(r.status in ("missing", "unreachable") for r in results):
        return UNREACHABLE
    return 0
