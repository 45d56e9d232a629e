"""Real Prometheus and Pushgateway servers (Debian's packages) and `inspecpy exporter` on loopback.

Each server is started on a free port with its own data folder, waited for
(``/-/ready``) and stopped by its PID. Until the shared fixtures of
``tests/servers/`` land on main, this private starter does the job::

    gateway = Pushgateway.start(tmp / "pgw")
    prom = PrometheusServer.start(tmp / "prom", scrape={"pushgateway": [gateway.address]},
                                  rules=RULES, honor_labels=True)
    prom.wait_for('inspecpy_control_status{control="ok"}')
    prom.stop(); gateway.stop()
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

PROMETHEUS = "/usr/bin/prometheus"
PUSHGATEWAY = "/usr/bin/prometheus-pushgateway"


def why_not_available() -> str | None:
    missing = [p for p in (PROMETHEUS, PUSHGATEWAY) if not os.access(p, os.X_OK)]
    return f"not installed: {', '.join(missing)} (scripts/install-test-deps.sh installs them)" if missing else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return reply.read()


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.process.args[0]} exited {self.process.returncode}: "
                                   f"{self.log.read_text()[-2000:]}")
            try:
                http_get(f"{self.url}/-/ready", timeout=1)
                return
            except urllib.error.HTTPError as answer:
                if answer.code == 401:  # behind basic auth: it answers, so it is up
                    return
                time.sleep(0.1)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.process.args[0]} not ready in {timeout} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> int:
        """SIGTERM (SIGKILL after 20 s); the exit code."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def _spawn(argv: list[str], folder: Path) -> tuple[subprocess.Popen, Path]:
    log = folder / "server.log"
    with open(log, "wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=folder,
                                start_new_session=True), log


class Pushgateway(Server):
    @classmethod
    def start(cls, folder: Path) -> "Pushgateway":
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        # Debian's default --persistence.file is a shared /var/lib path: keep the metrics in memory only
        process, log = _spawn([PUSHGATEWAY, f"--web.listen-address=127.0.0.1:{port}", "--persistence.file="], folder)
        server = cls(process, port, log)
        server.wait_ready()
        return server

    def metrics(self) -> str:
        return http_get(f"{self.url}/metrics").decode()


class PrometheusServer(Server):
    """Prometheus scraping *scrape* (job → ["host:port", ...]) every second, with *rules* (YAML text)."""

    @classmethod
    def start(cls, folder: Path, scrape: dict[str, list[str]], rules: str | None = None,
              honor_labels: bool = True, extra_args: list[str] = ()) -> "PrometheusServer":
        folder.mkdir(parents=True, exist_ok=True)
        config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                  "scrape_configs": [{"job_name": job, "honor_labels": honor_labels,
                                      "static_configs": [{"targets": targets}]} for job, targets in scrape.items()]}
        if rules is not None:
            (folder / "rules.yml").write_text(rules)
            config["rule_files"] = [str(folder / "rules.yml")]
        (folder / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML
        port = free_port()
        process, log = _spawn([PROMETHEUS, f"--config.file={folder / 'prometheus.yml'}",
                               f"--storage.tsdb.path={folder / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
                               *extra_args],
                              folder)
        server = cls(process, port, log)
        server.wait_ready()
        return server

    def query(self, promql: str) -> list[dict]:
        url = f"{self.url}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        return json.loads(http_get(url))["data"]["result"]

    def wait_for(self, promql: str, timeout: float = 60.0) -> list[dict]:
        """The query's rows once it returns any (Prometheus scrapes every second)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.query(promql)
            if rows:
                return rows
            time.sleep(0.25)
        raise AssertionError(f"no rows for {promql} after {timeout} s")

    def stop(self) -> int:
        code = super().stop()
        shutil.rmtree(self.log.parent / "data", ignore_errors=True)
        return code


class ExporterProcess(Server):
    """``inspecpy exporter PROFILE… ARGS --listen 127.0.0.1:PORT``, its stderr in *folder*/server.log."""

    @classmethod
    def start(cls, folder: Path, *args: str, wait: bool = True) -> "ExporterProcess":
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        process, log = _spawn([sys.executable, "-m", "inspecpy", "exporter", *args,
                               "--listen", f"127.0.0.1:{port}"], folder)
        exporter = cls(process, port, log)
        if wait:
            exporter.wait_for(r"^inspecpy_exporter_runs_total")
        return exporter

    def metrics(self) -> str:
        return http_get(f"{self.url}/metrics").decode()

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
        return self.wait_until(lambda text: re.search(pattern, text, re.M) is not None, repr(pattern), timeout)
