"""Keeping secrets out of results and logs: every sensitive value becomes ``***``.

>>> redact("login with s3cret", ["s3cret"])
'login with ***'

The command line installs :class:`RedactingFilter` on the log handlers, so a
debug log of a command built from a sensitive input never shows the secret.
A URL's ``user:password@`` is shown without the password (:func:`redact_uri`)
and sent as basic auth (:func:`basic_auth`).
"""

from __future__ import annotations

import base64
import logging

from inspecpy.context import current_secrets

REDACTED = "***"


def redact(text: str | None, secrets: list[str]) -> str | None:
    """*text* with every secret replaced by ``***``."""
    if not text or not secrets:
        return text
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def redact_uri(uri: str) -> str:
    """*uri* without a ``:password@`` part, safe for messages and reports (target URIs, Pushgateway
    and Prometheus URLs alike).

    >>> redact_uri("ssh://admin:s3cret@db1:22")
    'ssh://admin@db1:22'
    """
    scheme, sep, rest = uri.partition("://")
    userinfo, at, hostpart = rest.rpartition("@")
    if not sep or not at:
        return uri
    return f"{scheme}://{userinfo.split(':', 1)[0]}@{hostpart}"


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` header's value for HTTP basic auth.

    >>> basic_auth("ops", "pw")
    'Basic b3BzOnB3'
    """
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class RedactingFilter(logging.Filter):
    """A log filter that replaces the sensitive input values in scope with ``***``."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = current_secrets()
        if secrets:
            record.msg = redact(record.getMessage(), secrets)
            record.args = None
        return True


def install_log_redaction() -> None:
    """Add a :class:`RedactingFilter` to every root handler (once)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def configure_logging(debug: bool) -> None:
    """Log lines as ``inspecpy: LEVEL: name: message`` (DEBUG with ``--debug``), sensitive values redacted."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="inspecpy: %(levelname)s: %(name)s: %(message)s")
    install_log_redaction()  # a sensitive input never reaches a log line
