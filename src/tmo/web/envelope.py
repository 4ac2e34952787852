"""One envelope for every API answer: `{"status": "ok", "data": ...}` or
`{"status": "error", "error": {"code": 404, "message": "..."}}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tmo.errors import CountryNotFound, InputError, NotFound, TmoError


async def bounded_body(request: Request, limit: int, too_long: str, hint: str) -> bytes:
    """The request's body, read as it arrives and refused (InputError `too_long`) once it
    passes `limit` bytes: the app's declared-length check does not see chunked bodies."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise InputError(too_long, hint=hint)
    return bytes(body)


def ok(data: Any, **meta: Any) -> dict[str, Any]:
    return {"status": "ok", "data": data, **({"meta": meta} if meta else {})}


def error(code: int, message: str, hint: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"status": "error", "error": {"code": code, "message": message}}
    if hint:
        body["error"]["hint"] = hint
    return JSONResponse(body, status_code=code)


ErrorPage = Callable[[int, str, str | None, str], Response]  # code, message, hint, lang


def install(app: FastAPI, page: ErrorPage | None = None) -> None:
    """Exception handlers that answer in the envelope, never with a bare 500 page; with
    `page`, a browser asking for a page (not the API) gets the error as an HTML page."""

    def answer(request: Request, code: int, message: str, hint: str | None = None) -> Response:
        path = request.url.path
        if page is not None and not path.startswith("/api/") and path != "/openapi.json" \
                and "text/html" in request.headers.get("accept", ""):
            lang = request.query_params.get("lang", "en")
            return page(code, message, hint, lang if lang in ("en", "fr", "es") else "en")
        return error(code, message, hint)

    @app.exception_handler(NotFound)
    @app.exception_handler(CountryNotFound)
    async def not_found(request: Request, exc: TmoError) -> Response:
        return answer(request, 404, str(exc), exc.hint)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: TmoError) -> Response:
        return answer(request, 422, str(exc), exc.hint)

    @app.exception_handler(TmoError)
    async def tmo_error(request: Request, exc: TmoError) -> Response:
        return answer(request, 400, str(exc), exc.hint)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return answer(request, 422, f"invalid parameter {where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        return answer(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        return answer(request, 500, "internal error", "the server log has the details")
