"""``inspecpy exporter`` as a user starts it, on a free loopback port, for tests and bench/monitoring.py.

    exporter = ExporterProcess.start(tmp / "exporter", str(profile), "--interval", "1s")
    exporter.wait_for(r'^inspecpy_control_status\\{control="c1"')
    assert exporter.stop() == 0          # SIGTERM, by PID

In tests, the ``exporter_factory`` fixture (tests/servers/fixtures.py) starts them and stops each one
by its PID at the test's end, also when the test fails.
"""

from __future__ import annotations

import re
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar

from tests.integration.sshd import free_port
from tests.servers.process import ServerProcess


@dataclass
class ExporterProcess(ServerProcess):
    """One ``inspecpy exporter … --listen 127.0.0.1:PORT``; its output is in :attr:`log`."""

    port: int = 0

    log_name: ClassVar[str] = "exporter.log"
    stop_timeout: ClassVar[float] = 30

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    @classmethod
    def start(cls, folder: Path, *args: str, wait: bool = True) -> "ExporterProcess":
        """Start it with *args* (profiles and options); *wait* for /metrics to answer (stopped if it does not)."""
        folder.mkdir(parents=True, exist_ok=True)
        exporter = cls(workdir=folder, port=free_port())
        argv = [sys.executable, "-m", "inspecpy", "exporter", *args, "--listen", exporter.address]
        exporter._launch(argv, (lambda: exporter.wait_for(r"^inspecpy_exporter_runs_total")) if wait else (lambda: None),
                         start_new_session=True)
        return exporter

    def metrics(self) -> str:
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=10) as reply:
            return reply.read().decode()

    def wait_until(self, test: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        """The first /metrics text that passes *test*."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                text = self.metrics()
                if test(text):
                    return text
            except OSError:
                pass
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"exporter exited {self.process.returncode}: {self.log.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"/metrics never had {what} in {timeout} s: {self.log.read_text()}")

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        """The first /metrics text with a line matching *pattern*."""
        return self.wait_until(lambda text: re.search(pattern, text, re.M) is not None, repr(pattern), timeout)
