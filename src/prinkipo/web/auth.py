"""Signing in: editor sessions with CSRF protection for forms, Bearer tokens for the API.

Readers need nothing. An editor signs in at ``/signin``; the browser then holds an HttpOnly,
SameSite=Strict session cookie whose SHA-256 the archive keeps with a CSRF token. Every form that
changes the archive carries that token (a hidden ``csrf`` field), checked against the session.
The sign-in form itself is protected by a double-submit cookie. Scripts send
``Authorization: Bearer TOKEN`` (``prinkipo users token NAME``); without either, 401.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from prinkipo.auth import digest, new_secret, verify_password
from prinkipo.errors import PrinkipoError
from prinkipo.store.users import Session, User
from prinkipo.web.archive import Archive
from prinkipo.web.templating import TEMPLATES

SESSION_COOKIE = "prinkipo_session"
SIGNIN_CSRF_COOKIE = "prinkipo_signin"
SESSION_HOURS = 12


class NotSignedIn(PrinkipoError):
    """Writing needs a signed-in editor or an API token."""

    status = 401


class BadCsrf(PrinkipoError):
    """A form that changes the archive came without this session's CSRF token."""

    status = 403


def _archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


def session_of(request: Request) -> Session | None:
    """The signed-in editor's session, or None for a reader (looked up once per request)."""
    if "prinkipo_session" in request.scope.get("state", {}):
        cached: Session | None = request.state.prinkipo_session
        return cached
    cookie = request.cookies.get(SESSION_COOKIE)
    found = _archive(request).store().session(digest(cookie)) if cookie else None
    request.state.prinkipo_session = found
    return found


def editor_for_api(request: Request) -> User:
    """The editor behind a write request: a Bearer token, or a session with its CSRF token.

    A browser's fetch sends the session cookie and the token in ``X-CSRF-Token``; a form sends it
    as the ``csrf`` field (checked by :func:`editor_for_form`). Anything else is a 401.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = _archive(request).store().user_for_token(digest(token.strip()))
        if user is None:
            raise NotSignedIn("That API token is not valid")
        return user
    session = session_of(request)
    if session is None:
        raise NotSignedIn("Sign in as an editor, or send Authorization: Bearer TOKEN")
    _check_csrf(session, request.headers.get("x-csrf-token"))
    return session.user


async def editor_for_form(request: Request) -> tuple[User, dict[str, str]]:
    """The signed-in editor posting a form, after checking its CSRF field; and the form."""
    session = session_of(request)
    if session is None:
        raise NotSignedIn("Sign in as an editor to do that")
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _check_csrf(session, form.get("csrf"))
    return session.user, form


def _check_csrf(session: Session, sent: str | None) -> None:
    if not sent or not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        raise BadCsrf("Missing or wrong CSRF token: reload the page and try again")


def _safe_next(value: str | None) -> str:
    """Only a path on this site (never //host or a scheme) may be the page after signing in."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value


def routes(archive: Archive) -> list[Route]:
    def _form(request: Request, error: str | None = None, status: int = 200) -> Response:
        token = request.cookies.get(SIGNIN_CSRF_COOKIE) or new_secret()
        response = TEMPLATES.TemplateResponse(
            request,
            "signin.html",
            {
                "csrf": token,
                "next": _safe_next(request.query_params.get("next")),
                "error": error,
                "section": "signin",
            },
            status_code=status,
        )
        response.set_cookie(
            SIGNIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600
        )
        return response

    def signin_page(request: Request) -> Response:
        return _form(request)

    async def signin(request: Request) -> Response:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        cookie = request.cookies.get(SIGNIN_CSRF_COOKIE, "")
        sent = form.get("csrf", "")
        if not cookie or not hmac.compare_digest(cookie.encode(), sent.encode()):
            raise BadCsrf("The sign-in form expired: reload the page and try again")
        store = archive.store()
        user = store.user(form.get("name", ""))
        if user is None or not verify_password(form.get("password", ""), user.password_hash):
            return _form(request, "Unknown editor or wrong password.", 401)
        secret = new_secret()
        expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
        store.add_session(digest(secret), user, new_secret(), expires.isoformat(timespec="seconds"))
        response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            secret,
            httponly=True,
            samesite="strict",
            max_age=SESSION_HOURS * 3600,
            secure=request.url.scheme == "https",
        )
        response.delete_cookie(SIGNIN_CSRF_COOKIE)
        return response

    async def signout(request: Request) -> Response:
        await editor_for_form(request)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            archive.store().end_session(digest(cookie))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    return [
        Route("/signin", signin_page, methods=["GET"], name="signin"),
        Route("/signin", signin, methods=["POST"]),
        Route("/signout", signout, methods=["POST"], name="signout"),
    ]
