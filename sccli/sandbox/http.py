"""Response helpers shaped like the real API's: JSON media type, error bodies, pages."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

JSON_TYPE = "application/json; charset=utf-8"
LINK = "https://developers.soundcloud.com/docs/api/explorer/open-api"


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data), status=status, content_type=JSON_TYPE, headers=headers)


def reason(status: int) -> str:
    """The standard reason phrase of a status code ("Not Found")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, message: str) -> dict:
    text = reason(status)
    return {
        "code": status,
        "message": message,
        "link": LINK,
        "status": f"{status} - {text}",
        "errors": [{"error_message": message}],
        "error": None,
    }


class ApiAbort(HTTPException):
    """Raised by handlers; rendered as the API's error JSON."""

    code: int

    def __init__(self, status: int, message: str, extra: dict | None = None):
        super().__init__(message)
        self.code = status
        self.message = message
        self.extra = extra or {}

    def get_response(self, environ=None, scope=None) -> Response:  # type: ignore[override]
        body = error_body(self.code, self.message)
        body.update(self.extra)
        return json_response(body, self.code)


def html_page(status: int, title: str, body_html: str) -> Response:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><h1>{title}</h1>{body_html}</body></html>"
    )
    return Response(page, status=status, content_type="text/html; charset=utf-8")


def page_of(
    req: Request, items: list, default_limit: int = 50, *, linked: bool | None = None
) -> dict | list:
    """Slice `items` into a linked_partitioning page with an opaque cursor in next_href.

    Without linked_partitioning the deprecated bare list; `linked` forces either form.
    """
    try:
        limit = int(req.args.get("limit", default_limit))
    except ValueError:
        raise ApiAbort(400, "limit must be an integer") from None
    if not 1 <= limit <= 200:
        raise ApiAbort(400, "limit must be between 1 and 200")
    cursor = req.args.get("cursor")
    start = 0
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode()).decode())
        except ValueError:
            raise ApiAbort(400, "invalid cursor") from None
        if start < 0:
            raise ApiAbort(400, "invalid cursor")
    elif re.fullmatch(r"[0-9]{1,18}", req.args.get("offset", "")):
        start = int(req.args["offset"])
    chunk = items[start : start + limit]
    if linked is None:
        linked = req.args.get("linked_partitioning", "").lower() in ("1", "true")
    if not linked:
        return chunk
    body: dict = {"collection": chunk}
    if start + limit < len(items):
        args = [(k, v) for k, v in req.args.items(multi=True) if k not in ("cursor", "offset")]
        args.append(("cursor", base64.urlsafe_b64encode(str(start + limit).encode()).decode()))
        body["next_href"] = req.host_url.rstrip("/") + req.path + "?" + urlencode(args)
    return body


def rate_limited(bucket: str, maximum: int, window: str, name: str, reset: float) -> Response:
    """A 429 in the shape the real API sends: errors[].meta.rate_limit and a reset_time."""
    reset_time = datetime.fromtimestamp(reset, tz=timezone.utc).strftime("%Y/%m/%d %H:%M:%S +0000")
    meta = {
        "rate_limit": {
            "bucket": bucket,
            "max_nr_of_requests": maximum,
            "time_window": window,
            "name": name,
        },
        "remaining_requests": 0,
        "reset_time": reset_time,
    }
    return json_response({"errors": [{"meta": meta}]}, 429)
