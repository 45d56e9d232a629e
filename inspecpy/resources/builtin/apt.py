"""The ``apt`` resource: APT repositories configured on a Debian-family target."""

from __future__ import annotations

import re

from inspecpy.resources.filtering import Column, FilterTable

SOURCES_LIST = "/etc/apt/sources.list"
SOURCES_DIR = "/etc/apt/sources.list.d"


def parse_sources_list(text: str, source: str = "") -> list[dict]:
    """One-line style (``deb [opts] URI suite comp…``); a ``#``-commented entry is disabled."""
    rows = []
    for raw in text.splitlines():
        line = raw.strip()
        enabled = not line.startswith("#")
        line = line.lstrip("#").strip()
        line = re.sub(r"\[[^]]*\]\s*", "", line)  # [arch=amd64 signed-by=...]
        fields = line.split()
        if len(fields) < 3 or fields[0] not in ("deb", "deb-src") or "://" not in fields[1] and ":" not in fields[1]:
            continue
        rows.append({"type": fields[0], "url": fields[1].rstrip("/"), "suite": fields[2],
                     "components": fields[3:], "enabled": enabled, "file": source})
    return rows


def parse_deb822(text: str, source: str = "") -> list[dict]:
    """``.sources`` files: stanzas of ``Types``/``URIs``/``Suites``/``Components``/``Enabled``."""
    rows = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = None
        for line in stanza.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line[0].isspace() and key:
                fields[key] += " " + line.strip()
                continue
            key, _, value = line.partition(":")
            key = key.strip().lower()
            fields[key] = value.strip()
        enabled = fields.get("enabled", "yes").lower() not in ("no", "false", "0")
        for kind in fields.get("types", "").split():
            for url in fields.get("uris", "").split():
                for suite in fields.get("suites", "").split():
                    rows.append({"type": kind, "url": url.rstrip("/"), "suite": suite,
                                 "components": fields.get("components", "").split(), "enabled": enabled,
                                 "file": source})
    return rows


class Apt(FilterTable):
    """APT sources (``sources.list``, ``sources.list.d/*.list`` and deb822 ``*.sources``).

    ``apt("http://deb.debian.org/debian")`` selects a repository by URL
    (``ppa:owner/name`` is expanded to Launchpad's URL); ``apt()`` lists all.

    Python::

        describe(apt("http://deb.debian.org/debian")).should.exist()
        describe(apt("http://deb.debian.org/debian")).should.be_enabled()
        describe(apt().where(lambda r: r.url.startswith("http://"))).its("suites").should.be_empty()

    YAML::

        - apt: https://packages.example.com/apt
          should_not: [exist]
    """

    name = "apt"
    display_name = "Apt Repository"
    supports = ("debian",)

    def __init__(self, url: str | None = None):
        super().__init__()
        self.url = self._expand(url) if url else None

    @staticmethod
    def _expand(url: str) -> str:
        if url.startswith("ppa:"):
            owner, _, repo = url[4:].partition("/")
            return f"http://ppa.launchpad.net/{owner}/{repo or 'ppa'}/ubuntu"
        return url.rstrip("/")

    @property
    def resource_id(self) -> str:
        return self.url or ""

    def load_rows(self) -> list[dict]:
        rows = []
        if self.target.stat(SOURCES_LIST).exists:
            rows += parse_sources_list(self.target.read_text(SOURCES_LIST), SOURCES_LIST)
        if self.target.stat(SOURCES_DIR).type == "directory":
            for name in self.target.listdir(SOURCES_DIR):
                path = f"{SOURCES_DIR}/{name}"
                if name.endswith(".list"):
                    rows += parse_sources_list(self.target.read_text(path), path)
                elif name.endswith(".sources"):
                    rows += parse_deb822(self.target.read_text(path), path)
        if self.url:
            rows = [r for r in rows if r["url"].replace("https://", "http://") == self.url.replace("https://", "http://")]
        return rows

    @property
    def enabled(self) -> bool:
        """At least one selected entry is enabled."""
        return any(r["enabled"] for r in self.entries)

    urls = Column("url", simple=True)
    suites = Column("suite", simple=True)
    components = Column("components", simple=True)
    types = Column("type", simple=True)
    files = Column("file", simple=True)
