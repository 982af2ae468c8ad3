"""The security headers of every response (pages, API, files, errors).

The Content-Security-Policy allows only our own files: no inline script, no inline event
handler, no style attribute, no other site's script, and no framing at all. Behaviour
lives in static/js and styles in static/css, and a test keeps templates that way.
"""
from flask import Flask, Response, g, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap draws its icons as data: SVG in its CSS
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "X-Content-Type-Options": "nosniff",
    # Our addresses name proposals and calls; other sites need not learn them.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static" and _signed_in():
        # What a signed-in user sees (pages, API answers, files) must not stay in a
        # shared browser's or a proxy's cache after sign-out.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def _signed_in() -> bool:
    return g.get("api_user") is not None or current_user.is_authenticated
