"""The composition root: ``create_app(settings)`` builds the web application.

It opens the store, writes search keys for records that have none yet, clears what a
server that stopped without finishing its imports left behind (runs of gone processes
ended ``interrupted``, their jobs reported, uploaded copies deleted), starts loading
the name engine's tables in the background, wires the services, mounts the JSON API
(``/api/v1``, schema at ``/api/openapi.json``), the pages and the static files, and
installs the handlers that turn kinlink's exceptions into HTTP statuses through the one
table of :mod:`kinlink.api.errors`. Answers never carry a traceback or personal data; a
store too busy to answer in time is a 503 with ``Retry-After``, and a sign-in refused
during a wait after failures a 429 with it. A page asked for by a person who must still
change their generated password takes them to the page where they change it.

An unexpected error is caught by a middleware (:class:`UnexpectedErrors`, inside and
outside the security headers' one),
not by an exception handler: Starlette re-raises after a handler for ``Exception`` has
answered, and uvicorn then logs the whole traceback with the exception's text, which for
a database error holds the row being written. The middleware answers 500 in plain words
with a reference, logs one line (the exception's type, the route template, the
reference) and keeps the details without personal data in ``DATA_DIR/errors``
(:mod:`kinlink.incidents`); nothing reaches uvicorn.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import kinlink
from kinlink import incidents
from kinlink.accounts import Clock, utcnow
from kinlink.api import api_router
from kinlink.api.context import Services, Speaker
from kinlink.api.deps import route_path
from kinlink.api.errors import status_for
from kinlink.api.mediation_support import PendingExports
from kinlink.api.security import SecurityMiddleware
from kinlink.config import Settings
from kinlink.domain.limits import MIB
from kinlink.errors import (
    FieldsRefusedError,
    InputRefusedError,
    KinlinkError,
    PasswordChangeRequiredError,
    SignInThrottledError,
    StoreBusyError,
)
from kinlink.i18n import N_, Wording
from kinlink.i18n import Message as Said
from kinlink.storage import open_store
from kinlink.storage.accounts import begin_write
from kinlink.storage.search_keys import index_missing
from kinlink.usecases.children import remember_features
from kinlink.web import web_router
from kinlink.web.forms import see_other
from kinlink.web.i18n import LANGUAGES, translations
from kinlink.web.messages import say
from kinlink.web.templating import Pages

__all__ = ["UnexpectedErrors", "create_app", "served_app"]

log = logging.getLogger("kinlink.server")

_INPUT_NOT_VALID = Wording("server.input_not_valid", N_("the input is not valid: {fields}"))
_NO_SUCH_PAGE = Wording("server.no_such_page", N_("there is no such page"))
_METHOD_NOT_ALLOWED = Wording("server.method_not_allowed",
                              N_("this method is not allowed here"))
_CANNOT_CARRY_OUT = Wording("server.cannot_carry_out",
                            N_("the request cannot be carried out"))
_SAID_ABOVE = frozenset({"server.no_such_page", "api.deps.your_role_does_not"})
"""Messages the error page's own sentence already says (403, 404): not repeated below it."""

def _say(message: Said, language: str) -> str:
    """``message`` in ``language`` through the pages' catalogue (the API's speaker)."""
    return say(message, translations(language).gettext)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, code: str, message: str,
           reference: str | None = None, fields: dict[str, str] | None = None,
           field: str | None = None) -> Response:
    """The error as JSON for the API (a service's message adds its ``message_code`` and
    ``params``; ``message`` stays the English text) or as a page in the reader's
    language."""
    if _is_api(request):
        detail: dict[str, object] = {"code": code, "message": str(message)}
        if isinstance(message, Said):
            detail["message_code"] = message.code
            detail["params"] = message.api_params()
        if reference:
            detail["reference"] = reference
        if fields:
            detail["fields"] = fields
        if field:
            detail["field"] = field
        return JSONResponse({"error": detail}, status_code=status)
    pages = request.app.state.pages
    assert isinstance(pages, Pages)
    repeated = isinstance(message, Said) and message.code in _SAID_ABOVE
    return pages.render(request, "error.html",
                        {"status": status, "message": None if repeated else message},
                        status_code=status)


async def _kinlink_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KinlinkError)
    status, code = status_for(exc)
    if status == 401 and not _is_api(request):
        target = "/login/second-factor" if code == "second_factor_required" else "/login"
        return see_other(target)
    if isinstance(exc, PasswordChangeRequiredError) and not _is_api(request):
        return see_other("/account")
    response = _error(request, status, code, exc.text,
                      fields=exc.fields if isinstance(exc, FieldsRefusedError) else None,
                      field=exc.field if isinstance(exc, InputRefusedError) else None)
    if isinstance(exc, StoreBusyError | SignInThrottledError):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()})
    message = _INPUT_NOT_VALID(fields=tuple(f or "body" for f in fields))
    return _error(request, 422, "invalid", message,
                  field=fields[0] if len(fields) == 1 and fields[0] else None)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: _NO_SUCH_PAGE, 405: _METHOD_NOT_ALLOWED}
    response = _error(request, exc.status_code, f"http_{exc.status_code}",
                      messages.get(exc.status_code, _CANNOT_CARRY_OUT)())
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


class UnexpectedErrors:
    """The outermost guard: any exception a request raises past the exception handlers
    ends here, as a 500 with a reference (see the module's docstring)."""

    def __init__(self, app: ASGIApp, errors_dir: Path) -> None:
        self.app = app
        self.errors_dir = errors_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # the web's one top-level handler: see the docstring
            request = Request(scope)
            incident = incidents.record(exc, self.errors_dir,
                                        f"{request.method} {route_path(request)}")
            log.error("unexpected %s during %s, reference %s", incident.summary(),
                      incident.step, incident.reference)
            if not started:
                await _unexpected_answer(request, incident.reference)(scope, receive, send)


def _unexpected_answer(request: Request, reference: str) -> Response:
    """The 500 for an unexpected failure: plain words and the reference; a plain-text
    page if even the error page cannot be drawn."""
    message = (f"something went wrong in kinlink and this request was not carried out; "
               f"reference {reference} (give it to whoever looks after kinlink)")
    try:
        return _error(request, 500, "internal", message, reference)
    except Exception:  # the page needs the store, which may be what failed
        return PlainTextResponse(message, status_code=500)


def _warm_up(services: Services, *, serving: bool, done: threading.Event) -> None:
    """Load the name engine and the linkage model; when ``serving``, also build the
    found records' features for the identities page and then freeze what start-up made
    out of the garbage collector's reach; set ``done`` at the end, whatever happened.

    Why the freeze (issue 15): a full collection walks every tracked object, and a
    served process holds hundreds of thousands of long-lived ones — the name tables, the
    remembered features of every found record and the name engine's caches. Each full
    collection took ~350 ms at 100k records (up to 1.3 s under load), about every fourth
    identities page, in the middle of whichever request happened to allocate. Frozen
    objects are never collected again (they live as long as the process anyway); what
    requests make later is collected as before. Only the served application does it
    (``kinlink serve``, the speed benchmark): tests build many applications in one
    process and must not carry one's frozen objects into the next."""
    try:
        services.search.warm_up()
        if serving:
            start = time.perf_counter()
            built = remember_features(services.store)
            gc.collect()
            gc.freeze()
            log.info("features of %d found records built in %.1f s; %d objects frozen",
                     built, time.perf_counter() - start, gc.get_freeze_count())
    except Exception as error:  # a warm-up that fails only costs speed
        log.warning("warm-up stopped early: %s", type(error).__name__)
    finally:
        done.set()


@cache
def _routes() -> tuple[BaseRoute, ...]:
    """The JSON API's and the pages' routes, made once per process and shared by every
    application it creates.

    Why: FastAPI builds the parameter and response models of every route of a router
    when the router is included (about 0.5 s of CPU for kinlink's routes), and a route
    holds nothing of one application — a handler finds the store and the services through
    ``request.app.state``. A process serves one application, but the tests create one per
    test (354 tests take the ``app`` fixture). Included here into a bare router, the routes see no
    application's ``dependency_overrides``, and an application does not take over start-up
    or shutdown handlers of the routers (kinlink's have none; its own lifespan is in
    :func:`create_app`)."""
    template = APIRouter()
    template.include_router(api_router())
    template.include_router(web_router())
    return tuple(template.routes)


def create_app(settings: Settings, *, clock: Clock = utcnow, serving: bool = False) -> FastAPI:
    """The kinlink web application over the store ``settings`` name. ``serving``: the
    application is the one this process serves for its lifetime (``kinlink serve``),
    warmed up for speed at start (:func:`_warm_up`); ``app.state.warmed`` is set when
    the warm-up has finished."""
    store = open_store(settings)
    with store.transaction() as session:
        begin_write(session)
        index_missing(session)
    services = Services.build(settings, store, clock)
    services.speaker = Speaker(LANGUAGES, _say)
    services.jobs.recover()
    warmed = threading.Event()
    threading.Thread(target=_warm_up, args=(services,),
                     kwargs={"serving": serving, "done": warmed}, name="kinlink-warm-up",
                     daemon=True).start()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        services.jobs.shutdown()
        store.dispose()

    app = FastAPI(title="kinlink", version=kinlink.__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="The JSON twin of kinlink's pages: search across scripts, "
                              "records, lists, imports, dashboard, administration and "
                              "mediation (channels, lists sent, answers). "
                              "Sign in with POST /api/v1/auth/login, then the second "
                              "factor; send the CSRF token in X-CSRF-Token.")
    app.state.services = services
    app.state.warmed = warmed
    app.state.pages = Pages(services)
    app.state.pending_exports = PendingExports(store, clock)
    # inside the security headers, so a 500 has them; once more outside, for the rare
    # failure of the security middleware itself
    app.add_middleware(UnexpectedErrors, errors_dir=settings.errors_dir)
    app.add_middleware(SecurityMiddleware, hsts=settings.cookie_secure,
                       max_body=settings.limits.upload_mb * MIB + 2**20)
    app.add_middleware(UnexpectedErrors, errors_dir=settings.errors_dir)
    app.add_exception_handler(KinlinkError, _kinlink_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.router.routes.extend(_routes())
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "web" / "static"),
              name="static")
    return app


def served_app() -> FastAPI:
    """The application one worker process of ``kinlink serve --workers N`` serves, from
    the ``KINLINK_*`` settings of the environment (uvicorn calls this in each worker)."""
    return create_app(Settings(), serving=True)
