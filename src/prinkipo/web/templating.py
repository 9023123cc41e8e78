"""The Jinja2 environment of the reading room (templates ship as package data).

Every page gets ``pages`` (the names of the routes this app has), ``nav`` (the sections this app
has, in order, as name, label and path) and ``session`` (the signed-in editor, or None).
Autoescaping is on for every template: a string from a document is never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.templating import Jinja2Templates

from prinkipo.web.render import human_date

NAV = [
    ("documents", "Documents"),
    ("search", "Search"),
    ("people", "People"),
    ("places", "Places"),
    ("organisations", "Organisations"),
    ("periodicals", "Periodicals"),
    ("letters", "Letters"),
    ("timeline", "Timeline"),
    ("network", "Network"),
    ("map", "Map"),
    ("findings", "Findings"),
]


def _common(request: Request) -> dict[str, Any]:
    from prinkipo.web.auth import session_of

    state = request.app.state
    names = getattr(state, "page_names", None)
    if names is None:  # once per app: the routes do not change
        names = frozenset(
            r.name for r in request.app.routes if isinstance(r, Route | Mount) and r.name
        )
        state.nav_links = [
            (name, label, request.app.url_path_for(name)) for name, label in NAV if name in names
        ]
        state.page_names = names
    return {"pages": names, "nav": state.nav_links, "session": session_of(request)}


TEMPLATES = Jinja2Templates(
    directory=str(Path(__file__).parent / "templates"), context_processors=[_common]
)
TEMPLATES.env.filters["human_date"] = human_date
#: templates are package data: read once, not checked on disk at every page
TEMPLATES.env.auto_reload = False
