"""The router: every module's routes in one werkzeug Map; a request finds its handler here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.routing import Map, Rule

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

    from sccli.sandbox.context import Ctx

Handler = Callable[..., "Response"]


@dataclass(frozen=True)
class Route:
    """One method on one path. `auth`: needs the Authorization header; `control`: /_sandbox/."""

    rule: str
    method: str
    handler: Handler
    auth: bool = True
    control: bool = False

    @property
    def label(self) -> str:
        """How /_sandbox/stats names it: "GET /tracks/<ref>"."""
        return f"{self.method} {self.rule}"


def api(rule: str, *methods: str, handler: Handler, auth: bool = True) -> list[Route]:
    return [Route(rule, m, handler, auth=auth) for m in methods]


def ctl(rule: str, *methods: str, handler: Handler) -> list[Route]:
    return [Route(rule, m, handler, auth=False, control=True) for m in methods]


class Router:
    def __init__(self, routes: list[Route]):
        self.routes = routes
        # One rule per route; werkzeug tries static segments before converters, so
        # /me/followings/tracks wins over /me/followings/<ref>.
        self.map = Map(
            [Rule(r.rule, endpoint=i, methods=[r.method]) for i, r in enumerate(routes)],
            strict_slashes=False,
        )

    def match(self, environ: dict) -> tuple[Route, dict[str, Any]]:
        """The route and its path arguments; raises werkzeug's NotFound / MethodNotAllowed."""
        endpoint, args = self.map.bind_to_environ(environ).match()
        return self.routes[int(endpoint)], dict(args)

    def call(self, route: Route, ctx: Ctx, args: dict[str, Any]) -> Response:
        return route.handler(ctx, **args)


def all_routes() -> list[Route]:
    from sccli.sandbox.routes import (
        comments,
        control,
        feed,
        library,
        me,
        media,
        oauth,
        playlists,
        related,
        resolve,
        social,
        storefront,
        tracks,
        uploads,
        users,
    )

    modules = (
        oauth,
        me,
        feed,
        social,
        tracks,
        uploads,
        comments,
        media,
        storefront,
        related,
        users,
        playlists,
        resolve,
        control,
        library,
    )
    return [r for m in modules for r in m.ROUTES]
