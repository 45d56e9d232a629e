"""The ``processes`` resource: running processes by name or regex."""

from __future__ import annotations

import re

from inspecpy.errors import ResourceSkipped
from inspecpy.resources.filtering import Column, FilterTable

PS_COMMAND = "ps -ww -eo pid=,ppid=,user:32=,stat=,args="
#: Where ``ps`` is missing (minimal images): the same fields from /proc, one line each.
PROC_COMMAND = (
    "cd /proc && for p in [0-9]*; do "
    "s=$(cat $p/status 2>/dev/null) || continue; "
    "u=$(printf '%s\\n' \"$s\" | sed -n 's/^Uid:[[:space:]]*\\([0-9]*\\).*/\\1/p'); "
    "pp=$(printf '%s\\n' \"$s\" | sed -n 's/^PPid:[[:space:]]*//p'); "
    "st=$(printf '%s\\n' \"$s\" | sed -n 's/^State:[[:space:]]*\\(.\\).*/\\1/p'); "
    "c=$(tr '\\000' ' ' < $p/cmdline 2>/dev/null); "
    "[ -n \"$c\" ] || c=\"[$(cat $p/comm 2>/dev/null)]\"; "
    "printf '%s %s %s %s %s\\n' \"$p\" \"$pp\" \"$u\" \"$st\" \"$c\"; done"
)


def parse_ps(text: str) -> list[dict]:
    """``pid ppid user stat command…`` lines → rows."""
    rows = []
    for line in text.splitlines():
        fields = line.split(None, 4)
        if len(fields) < 5 or not fields[0].isdigit():
            continue
        pid, ppid, user, state, command = fields
        rows.append({"pid": int(pid), "ppid": int(ppid) if ppid.isdigit() else None, "user": user,
                     "state": state, "command": command.strip()})
    return rows


def name_pattern(grep: str | re.Pattern) -> re.Pattern:
    """InSpec's rule: a name matches the command's program (any directory), a ``/path`` its start.

    ``sshd`` matches ``/usr/sbin/sshd -D`` and ``sshd: alice [priv]`` but not ``sshd-agent`` nor an
    argument (``tail -f /var/log/sshd``): the directories before the name hold no blank, so they
    are the program's path (InSpec's ``(/[^/]*)*`` also let them run over the arguments).
    """
    if isinstance(grep, re.Pattern):
        return grep
    if grep.startswith("/"):
        return re.compile("^" + grep)
    return re.compile(r"^(/[^/\s]*)*" + grep + r"(\s|:|$)")


class Processes(FilterTable):
    """Processes whose command line matches a name (InSpec's rule) or a compiled regex.

    Read with ``ps``; where ``ps`` is missing, from ``/proc`` (user ids then
    named through the target's ``/etc/passwd``).

    Python::

        describe(processes("sshd")).its("users").should.include("root")
        describe(processes(re.compile("telnetd|rlogind"))).should_not.exist()
        describe(processes("sshd").where(user="root")).its("count").should.be_at_least(1)

    YAML::

        - processes: cron
          its: {users: {eq: [root]}}
    """

    name = "processes"
    supports = ("unix",)

    def __init__(self, grep: str | re.Pattern = re.compile(".*")):
        super().__init__()
        self.grep = grep
        self.pattern = name_pattern(grep)

    @property
    def resource_id(self) -> str:
        return self.grep.pattern if isinstance(self.grep, re.Pattern) else self.grep

    def load_rows(self) -> list[dict]:
        return [r for r in self._all() if self.pattern.search(r["command"])]

    def _all(self) -> list[dict]:
        result = self.target.run(PS_COMMAND)
        if result.exit_status == 0 and result.stdout.strip():
            return parse_ps(result.stdout)
        result = self.target.run(PROC_COMMAND)
        if result.exit_status != 0 or not result.stdout.strip():
            raise ResourceSkipped("processes: neither `ps` nor /proc is usable on the target")
        rows = parse_ps(result.stdout)
        for row in rows:
            row["user"] = self.target.user_name(int(row["user"])) if row["user"].isdigit() else row["user"]
        return rows

    pids = Column("pid", "Process ids.")
    ppids = Column("ppid", "Parent process ids.")
    users = Column("user", "The user of each process (one per process, as InSpec).")
    states = Column("state", "ps STAT codes.")
    commands = Column("command", "Full command lines.")
