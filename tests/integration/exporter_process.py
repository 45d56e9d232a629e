"""``inspecpy exporter`` as a user starts it, on a free loopback port, for tests and bench/monitoring.py.

    exporter = ExporterProcess.start(tmp / "exporter", str(profile), "--interval", "1s")
    exporter.wait_for(r'^inspecpy_control_status\\{control="c1"')
    assert exporter.stop() == 0          # SIGTERM, by PID
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tests.integration.sshd import free_port
from tests.servers.process import stop_process


@dataclass
class ExporterProcess:
    """One ``inspecpy exporter … --listen 127.0.0.1:PORT``; its stderr is in :attr:`log`."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    @classmethod
    def start(cls, folder: Path, *args: str, wait: bool = True) -> "ExporterProcess":
        """Start it with *args* (profiles and options); *wait* for /metrics to answer."""
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        log = folder / "exporter.log"
        with open(log, "wb") as stderr:
            process = subprocess.Popen([sys.executable, "-m", "inspecpy", "exporter", *args,
                                        "--listen", f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        exporter = cls(process, port, log)
        if wait:
            exporter.wait_for(r"^inspecpy_exporter_runs_total")
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
            if self.process.poll() is not None:
                raise AssertionError(f"exporter exited {self.process.returncode}: {self.log.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"/metrics never had {what} in {timeout} s: {self.log.read_text()}")

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        """The first /metrics text with a line matching *pattern*."""
        return self.wait_until(lambda text: re.search(pattern, text, re.M) is not None, repr(pattern), timeout)

    def stop(self) -> int:
        """SIGTERM (SIGKILL after 30 s); the exit code."""
        stop_process(self.process, timeout=30)
        return self.process.returncode
