"""The Content-Security-Policy of the dashboard page.

Scripts, styles and API calls come only from this origin, with no inline
script. Covers and audio may live elsewhere (an object store, an upstream's
links), so images and media also allow any https origin and the configured
public and object-store origins.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) URL, or "" for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(media_origins: Iterable[str] = ()) -> str:
    extra = sorted({origin for origin in map(origin_of, media_origins) if origin})
    media = " ".join(["'self'", "https:", *extra])
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        f"img-src {media}",
        f"media-src {media}",
        "base-uri 'none'",
        "form-action 'none'",  # forms never navigate: a token can never end up in a URL
        "frame-ancestors 'none'",
    ])
