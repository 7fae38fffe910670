"""What every page module needs: the templates and the request's session."""

from __future__ import annotations

from fastapi import Request

from kinlink.web.templating import Pages

__all__ = ["pages"]


def pages(request: Request) -> Pages:
    """The app's templates."""
    found = request.app.state.pages
    assert isinstance(found, Pages)
    return found
