"""Security headers on every answer, and refusals before a request reaches a route.

* Headers (security.md INP-06): a Content-Security-Policy with scripts and styles from
  our own origin only (no inline script), no framing (``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``), ``nosniff``, ``Referrer-Policy: no-referrer``, and
  ``Cache-Control: no-store`` on everything but the static files (pages and API answers
  carry personal data). HSTS when cookies are Secure (served over TLS).
* A state-changing request whose ``Origin`` is another site, or that a browser marks
  ``Sec-Fetch-Site: cross-site`` or ``same-site``, is refused (403) whatever its
  cookies (the CSRF token is checked as well, by the routes).
* A body announced larger than the upload limit is refused (413) before it is read.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SecurityMiddleware"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityMiddleware:
    """Pure ASGI middleware (streams pass through untouched)."""

    def __init__(self, app: ASGIApp, *, hsts: bool, max_body: int) -> None:
        self.app = app
        self.hsts = hsts
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await self._refuse(scope, send, *refusal)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() != b"cache-control"]
                headers += _HEADERS
                headers.append((b"cache-control",
                                b"public, max-age=3600" if static else b"no-store"))
                if self.hsts:
                    headers.append((b"strict-transport-security",
                                    b"max-age=31536000; includeSubDomains"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return 413, "too_large", "the request is larger than kinlink accepts"
        if scope.get("method") in _SAFE_METHODS:
            return None
        origin = headers.get("origin")
        scheme = scope.get("scheme", "http")
        own = f"{scheme}://{headers.get('host', '')}"
        # Pages are served with Referrer-Policy no-referrer, under which browsers send
        # "Origin: null" with their own forms; Sec-Fetch-Site still tells where it came from.
        if (origin not in (None, "null", own)) or \
                headers.get("sec-fetch-site") in ("cross-site", "same-site"):
            return 403, "cross_site", "requests from other sites are refused"
        return None

    async def _refuse(self, scope: Scope, send: Send, status: int, code: str,
                      message: str) -> None:
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
                   *_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
