"""The ``yum`` resource: yum/dnf repositories configured on a Red Hat-family target."""

from __future__ import annotations

import configparser

from inspecpy.resources.filtering import Column, FilterTable

REPOS_DIR = "/etc/yum.repos.d"


def parse_repo_file(text: str, source: str = "") -> list[dict]:
    """A ``.repo`` INI file → one row per section (``enabled`` defaults to true, as in dnf)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    rows = []
    for section in parser.sections():
        repo = parser[section]
        rows.append({"id": section, "name": repo.get("name", section), "baseurl": repo.get("baseurl"),
                     "mirrorlist": repo.get("mirrorlist") or repo.get("metalink"),
                     "enabled": repo.get("enabled", "1").strip().lower() in ("1", "yes", "true"),
                     "gpgcheck": repo.get("gpgcheck", "1").strip().lower() in ("1", "yes", "true"),
                     "file": source})
    return rows


class Yum(FilterTable):
    """Repositories from ``/etc/yum.repos.d/*.repo`` (read directly, so no network is needed).

    Python::

        describe(yum().repo("epel")).should.be_enabled()
        describe(yum().where(gpgcheck=False)).should_not.exist()
        describe(yum()).its("repos").should.include("baseos")

    YAML::

        - yum: null
          its: {repos: {include: baseos}}
    """

    name = "yum"
    display_name = "Yum Repository"
    supports = ("redhat", "fedora", "amazon", "suse")

    def load_rows(self) -> list[dict]:
        rows: list[dict] = []
        if self.target.stat(REPOS_DIR).type == "directory":
            for name in self.target.listdir(REPOS_DIR):
                if name.endswith(".repo"):
                    rows += parse_repo_file(self.target.read_text(f"{REPOS_DIR}/{name}"), f"{REPOS_DIR}/{name}")
        return rows

    def repo(self, repo_id: str) -> "Yum":
        """One repository by id (``exists``, ``enabled``, ``baseurl`` …)."""
        return self.where(id=repo_id)

    @property
    def enabled(self) -> bool:
        return any(r["enabled"] for r in self.entries)

    @property
    def baseurl(self) -> str | None:
        return self.entries[0]["baseurl"] if self.entries else None

    repos = Column("id", "Repository ids.")
    repositories = Column("id", "Repository ids (InSpec's other name).")
    names = Column("name")
    baseurls = Column("baseurl")
