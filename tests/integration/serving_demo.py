"""MLServer with its own defaults, and ``python -m tests.integration.serving_demo`` to try the profile.

``DefaultMLServer`` is ``tests/servers``' MLServer with MLServer's default
``debug`` (True), which the shared fixture turns off: its 500 answers then
carry the Python traceback, the finding error_hygiene() must make.

The demo runs it until Ctrl-C, serving the mlsvs demo model over v2; nginx
fronts it with TLS (a throwaway CA, a certificate valid two days) and a
bearer token. It prints the URLs, the CA file and the token to try
``inspecpy exec profiles/model-serving`` against both.
"""

from __future__ import annotations

import json
import signal
import tempfile
from pathlib import Path

from tests.servers.mlserver import MLServer
from tests.servers.nginx_tls import NginxTls


class DefaultMLServer(MLServer):
    """The shared fixture's MLServer without its ``"debug": false`` (MLServer's default is true)."""

    def _configure(self) -> None:
        super()._configure()
        settings = self.workdir / "settings.json"
        values = json.loads(settings.read_text())
        values.pop("debug", None)
        settings.write_text(json.dumps(values))


def main() -> None:
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill PID` stops both servers too
    with tempfile.TemporaryDirectory(prefix="inspecpy-serving-") as tmp:
        with DefaultMLServer.start_new(Path(tmp) / "mlserver") as mlserver, \
                NginxTls.start_new(Path(tmp) / "nginx", mlserver.url) as nginx:
            print(f"MLServer (v2, plain):  {mlserver.url}\n"
                  f"nginx (TLS + token):   {nginx.https_url}\n"
                  f"  its CA:              {nginx.ca_file}\n"
                  f"  its token:           export INSPECPY_ENDPOINT_TOKEN={nginx.token}\n"
                  "Ctrl-C stops both.", flush=True)
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
