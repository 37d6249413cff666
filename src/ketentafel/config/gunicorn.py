# SPDX-License-Identifier: EUPL-1.2
"""gunicorn's configuration for production: `gunicorn -c python:ketentafel.config.gunicorn`.

gunicorn 27 writes `Server: gunicorn` into every HTTP/1 answer and has no setting to leave it
out. Naming the server software tells an attacker which vulnerabilities to try (ASVS 13.4.6),
so this configuration drops that line from the headers gunicorn adds itself. gunicorn loads
this module in its master process before forking the workers, which inherit the change.
Everything else is set on the command line or by environment (docs/deployment.md).
"""

from __future__ import annotations

from gunicorn.http import wsgi

_gunicorn_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: wsgi.Response) -> list[str]:
    return [
        line for line in _gunicorn_default_headers(self) if not line.lower().startswith("server:")
    ]


wsgi.Response.default_headers = _default_headers_without_server

wsgi_app = "ketentafel.config.wsgi:application"
