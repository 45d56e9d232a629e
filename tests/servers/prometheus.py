"""Debian's Prometheus and Pushgateway, started as plain programs on loopback.

Prometheus gets its own config, ``--storage.tsdb.path`` and rule folder in
WORKDIR, a short scrape and evaluation interval (1 s by default) and
``--web.enable-lifecycle``, so targets and rules are added while it runs
(the config is rewritten, then ``POST /-/reload``)::

    with Pushgateway.start_new(tmp / "pgw") as gateway, \\
            PrometheusServer.start_new(tmp / "prom") as prom:
        gateway.push("batch", "inspecpy_demo 42\\n")            # text format, job="batch"
        prom.add_scrape_target("pushgateway", gateway.address, honor_labels=True)
        prom.wait_target_up("pushgateway")
        prom.wait_query('inspecpy_demo{job="batch"}')[0]["value"][1]   # '42'
        prom.load_rules("alerts", {"groups": [...]})          # an alerting rule file, reloaded

Both are stopped by their PIDs. Config files are written as JSON, which is YAML.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from tests.integration.sshd import free_port
from tests.servers.process import ServerProcess, require, wait_http

PROMETHEUS = "/usr/bin/prometheus"
PUSHGATEWAY = "/usr/bin/prometheus-pushgateway"


def why_not_available() -> str | None:
    """Always None: both run unprivileged (a missing Debian package fails the test, it is no skip)."""
    return None


def _request(url: str, data: bytes | None = None, method: str | None = None,
             headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


@dataclass
class _PrometheusProgram(ServerProcess):
    """What Prometheus and the Pushgateway share: one port on loopback, a Debian binary, ``/-/ready``."""

    port: int = 0
    host: str = "127.0.0.1"

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def _run(self, program: str, package: str, args: list[str], timeout: float,
             headers: dict[str, str] | None = None) -> None:
        require(program, package)
        self._launch([program, *args],
                      lambda: wait_http(f"{self.url}/-/ready", self.process, timeout, self.log, headers=headers))


@dataclass
class Pushgateway(_PrometheusProgram):
    """One running pushgateway; :attr:`url` to push to, :attr:`address` to scrape."""

    log_name: ClassVar[str] = "pushgateway.log"

    @classmethod
    def start_new(cls, workdir: Path, timeout: float = 30) -> "Pushgateway":
        workdir.mkdir(parents=True, exist_ok=True)
        gateway = cls(workdir=workdir, port=free_port())
        gateway.start(timeout)
        return gateway

    def start(self, timeout: float = 30) -> None:
        self._run(PUSHGATEWAY, "prometheus-pushgateway",
                  [f"--web.listen-address={self.address}", "--web.enable-admin-api",
                   f"--persistence.file={self.workdir / 'pushgateway.data'}", "--log.level=info"], timeout)

    def push(self, job: str, text: str, **grouping: str) -> None:
        """Replace the metrics of group ``job`` (+ *grouping* labels) with *text* (exposition format)."""
        path = f"/metrics/job/{urllib.parse.quote(job, safe='')}"
        for name, value in grouping.items():
            path += f"/{name}/{urllib.parse.quote(value, safe='')}"
        _request(self.url + path, data=text.encode(), method="PUT",
                 headers={"Content-Type": "text/plain; version=0.0.4"})

    def metrics(self) -> str:
        return _request(f"{self.url}/metrics").decode()

    def wipe(self) -> None:
        """Delete every pushed group (admin API)."""
        _request(f"{self.url}/api/v1/admin/wipe", method="PUT")


@dataclass
class PrometheusServer(_PrometheusProgram):
    """One running Prometheus; :attr:`url` for its HTTP API and for inspecpy's ``prometheus(url)``."""

    scrape_interval: str = "1s"
    evaluation_interval: str = "1s"
    scrape_configs: list[dict] = field(default_factory=list)
    basic_auth: tuple[str, str] | None = None  # (user, password) Prometheus's --web.config.file asks for

    log_name: ClassVar[str] = "prometheus.log"
    stop_timeout: ClassVar[float] = 20

    @property
    def config_file(self) -> Path:
        return self.workdir / "prometheus.yml"

    @property
    def rules_dir(self) -> Path:
        return self.workdir / "rules"

    @classmethod
    def start_new(cls, workdir: Path, scrape_interval: str = "1s", evaluation_interval: str = "1s",
                  targets: dict[str, list[str]] | None = None, timeout: float = 60,
                  basic_auth: tuple[str, str] | None = None) -> "PrometheusServer":
        """Start Prometheus scraping itself (job ``prometheus``) and *targets* (job → addresses);
        with *basic_auth* = (user, password) its API refuses requests without them."""
        workdir.mkdir(parents=True, exist_ok=True)
        server = cls(workdir=workdir, port=free_port(), scrape_interval=scrape_interval,
                     evaluation_interval=evaluation_interval, basic_auth=basic_auth)
        server.rules_dir.mkdir(exist_ok=True)
        server.scrape_configs.append({"job_name": "prometheus", "static_configs": [{"targets": [server.address]}]})
        for job, addresses in (targets or {}).items():
            server.scrape_configs.append({"job_name": job, "static_configs": [{"targets": list(addresses)}]})
        server._write_config()
        server.start(timeout)
        return server

    def _write_config(self) -> None:
        config = {
            "global": {"scrape_interval": self.scrape_interval, "scrape_timeout": self.scrape_interval,
                       "evaluation_interval": self.evaluation_interval},
            "rule_files": [str(self.rules_dir / "*.yml")],
            "scrape_configs": self.scrape_configs,
        }
        partial = self.config_file.with_suffix(".tmp")
        partial.write_text(json.dumps(config, indent=2) + "\n")
        partial.replace(self.config_file)

    def start(self, timeout: float = 60) -> None:
        args = [f"--config.file={self.config_file}", f"--storage.tsdb.path={self.workdir / 'data'}",
                f"--web.listen-address={self.address}", "--web.enable-lifecycle",
                "--storage.tsdb.retention.time=1d", "--log.level=info",
                f"--web.console.templates={self.workdir / 'consoles'}",
                f"--web.console.libraries={self.workdir / 'console_libraries'}"]
        if self.basic_auth is not None:
            import bcrypt  # paramiko's dependency

            user, password = self.basic_auth
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
            (self.workdir / "web.yml").write_text(json.dumps({"basic_auth_users": {user: hashed}}) + "\n")
            args.append(f"--web.config.file={self.workdir / 'web.yml'}")
            for config in self.scrape_configs:  # scraping itself needs them too
                if config["job_name"] == "prometheus":
                    config["basic_auth"] = {"username": user, "password": password}
            self._write_config()
        self._run(PROMETHEUS, "prometheus", args, timeout, headers=self._auth())

    def _auth(self) -> dict[str, str]:
        if self.basic_auth is None:
            return {}
        import base64

        return {"Authorization": "Basic " + base64.b64encode(":".join(self.basic_auth).encode()).decode()}

    # ------------------------------------------------------------ changes while running
    def reload(self) -> None:
        """``POST /-/reload``; raises when Prometheus refuses the config (it keeps the old one)."""
        _request(f"{self.url}/-/reload", data=b"", method="POST", headers=self._auth())

    def add_scrape_target(self, job: str, address: str, metrics_path: str = "/metrics", scheme: str = "http",
                          honor_labels: bool = False, scrape_interval: str | None = None,
                          **extra) -> None:
        """Scrape *address* as *job* (added to the job's targets if it exists), then reload."""
        for config in self.scrape_configs:
            if config["job_name"] == job:
                config["static_configs"][0]["targets"].append(address)
                break
        else:
            config = {"job_name": job, "metrics_path": metrics_path, "scheme": scheme, "honor_labels": honor_labels,
                      "static_configs": [{"targets": [address]}], **extra}
            if scrape_interval:
                config["scrape_interval"] = config["scrape_timeout"] = scrape_interval
            self.scrape_configs.append(config)
        self._write_config()
        self.reload()

    def load_rules(self, name: str, rules: dict | str) -> Path:
        """Write the rule file ``rules/NAME.yml`` (a dict, or YAML text), reload, return its path."""
        path = self.rules_dir / f"{name}.yml"
        path.write_text(rules if isinstance(rules, str) else json.dumps(rules, indent=2) + "\n")
        self.reload()
        return path

    # ------------------------------------------------------------ the HTTP API
    def api(self, path: str, **params: str) -> dict:
        """GET ``/api/v1/PATH?params`` and return its ``data`` (raises on ``status != success``)."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        answer = json.loads(_request(f"{self.url}/api/v1/{path}{query}", headers=self._auth()))
        if answer.get("status") != "success":
            raise RuntimeError(f"Prometheus /api/v1/{path}: {answer}")
        return answer["data"]

    def query(self, promql: str) -> list[dict]:
        """An instant query's result vector (``[{"metric": {...}, "value": [t, "v"]}]``)."""
        return self.api("query", query=promql)["result"]

    def targets(self) -> list[dict]:
        return self.api("targets")["activeTargets"]

    def rules(self) -> list[dict]:
        return self.api("rules")["groups"]

    def alerts(self) -> list[dict]:
        return self.api("alerts")["alerts"]

    def wait_target_up(self, job: str, timeout: float = 60) -> list[dict]:
        """Wait until every target of *job* has been scraped with ``health == "up"``."""
        last: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = [t for t in self.targets() if t.get("labels", {}).get("job") == job]
            if last and all(t.get("health") == "up" for t in last):
                return last
            time.sleep(0.2)
        raise RuntimeError(f"targets of job {job!r} not up within {timeout:.0f} s: {last}")

    def wait_query(self, promql: str, predicate=bool, timeout: float = 60) -> list[dict]:
        """Repeat the instant query until *predicate(result)* holds (by default: not empty)."""
        result: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.query(promql)
            if predicate(result):
                return result
            time.sleep(0.2)
        raise RuntimeError(f"query {promql!r} did not give the expected result within {timeout:.0f} s: {result}")

    def wait_rule_group(self, name: str, timeout: float = 30) -> dict:
        """Wait until the rule group *name* is loaded (after :meth:`load_rules`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for group in self.rules():
                if group["name"] == name:
                    return group
            time.sleep(0.2)
        raise RuntimeError(f"rule group {name!r} not loaded within {timeout:.0f} s: {self.log}")
