"""TLS for webhook deliveries: which certificates are trusted, and why a handshake failed.

Deliveries connect to a checked address with the host name kept as the TLS server name,
so the certificate is verified for the name the user gave, never for the address. The
public roots (certifi's, as httpx uses) are always trusted; an operator may add a CA of
their own (``SONGGATE_WEBHOOK_CA_FILE``) for receivers on a private PKI, and tests use it
for a throw-away CA.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import certifi


def delivery_ssl_context(ca_file: Path | None) -> ssl.SSLContext:
    """Verifying context: the public roots, plus the CAs in ``ca_file`` if given."""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def tls_failure(error: BaseException) -> str | None:
    """Why the TLS handshake behind ``error`` failed, or None if it was not TLS."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            reason = current.verify_message or current.reason or "not verified"
            return f"TLS certificate not accepted: {reason}"
        if isinstance(current, ssl.SSLError):
            return f"TLS handshake failed: {current.reason or type(current).__name__}"
        current = current.__cause__ or current.__context__
    return None
