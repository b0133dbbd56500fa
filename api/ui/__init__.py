"""The auditor's web view at ``/ui``: read-only pages over the same store, behind the same API
keys as REST (docs/ui.md). Server-rendered Jinja2 templates (``templates/``) with a little plain
JavaScript and CSS (``static/``), all shipped in the package: nothing loads from elsewhere."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def install(app: FastAPI) -> None:
    from asof.api.ui import audit, downloads, login, pages

    for module in (login, pages, audit, downloads):
        app.include_router(module.router)
    app.mount("/ui/static", StaticFiles(packages=[("asof.api.ui", "static")]),
              name="ui-static")
