"""apt and yum repositories from recorded source files."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources.builtin.apt import Apt, parse_deb822, parse_sources_list
from inspecpy.resources.builtin.yum import Yum, parse_repo_file

DEBIAN_SOURCES = """\
Types: deb deb-src
# mirror
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security/
Suites: bookworm-security
Components: main contrib
Enabled: no
"""
LIST = "deb [arch=amd64 signed-by=/k.gpg] https://download.docker.com/linux/debian bookworm stable\n" \
       "# deb http://old.example.com/debian buster main\n#just a comment\n"
REDHAT = "[baseos]\nname=BaseOS\nmirrorlist=https://m/?repo=BaseOS\ngpgcheck=1\nenabled=1\n\n" \
         "[epel]\nname=EPEL\nbaseurl=https://dl.fedoraproject.org/pub/epel/9/\nenabled=0\ngpgcheck=0\n"


def test_one_line_and_deb822_parsers():
    rows = parse_sources_list(LIST)
    assert rows[0]["url"] == "https://download.docker.com/linux/debian" and rows[0]["enabled"]
    assert rows[1]["enabled"] is False and len(rows) == 2
    stanzas = parse_deb822(DEBIAN_SOURCES)
    assert len(stanzas) == 5
    assert [r["enabled"] for r in stanzas if "security" in r["url"]] == [False]


def test_apt_resource(replay):
    replay({"files": {"/etc/apt/sources.list.d/debian.sources": DEBIAN_SOURCES,
                      "/etc/apt/sources.list.d/docker.list": LIST},
            "dirs": {"/etc/apt/sources.list.d": ["debian.sources", "docker.list", "old.list.save"]}})
    assert Apt("http://deb.debian.org/debian/").exists and Apt("http://deb.debian.org/debian").enabled
    assert not Apt("http://deb.debian.org/debian-security").enabled
    assert Apt("https://download.docker.com/linux/debian").enabled
    assert not Apt("http://old.example.com/debian").enabled
    assert not Apt("ppa:nginx/stable").exists
    assert Apt().where(lambda r: r.url.startswith("https://")).suites == ["bookworm"]
    assert describe(Apt("http://nope.example")).should_not.exist().code_desc == \
        "Apt Repository http://nope.example is expected not to exist"


def test_apt_is_skipped_on_redhat(replay):
    replay({"platform": {"name": "rocky", "family": "redhat", "families": ["redhat", "linux", "unix", "os"]}})
    result = describe(Apt("http://x")).should.exist()
    assert result.status == "skipped" and "apt is not supported on platform rocky" in result.skip_message


def test_yum_resource(replay):
    replay({"platform": {"name": "rocky", "family": "redhat", "release": "9.3",
                         "families": ["redhat", "linux", "unix", "os"]},
            "files": {"/etc/yum.repos.d/rocky.repo": REDHAT}, "dirs": {"/etc/yum.repos.d": ["rocky.repo"]}})
    assert parse_repo_file(REDHAT)[1]["gpgcheck"] is False
    yum = Yum()
    assert yum.repos == ["baseos", "epel"]
    assert yum.repo("baseos").enabled and yum.repo("baseos").exists
    assert not yum.repo("epel").enabled and yum.repo("epel").baseurl.startswith("https://dl.fedora")
    assert not yum.repo("nope").exists
    assert yum.where(gpgcheck=False).repos == ["epel"]


def test_this_machine_apt_sources_parse():
    from inspecpy.targets import current_target

    if current_target().platform.in_family("debian"):
        assert isinstance(Apt().urls, list)
