"""Cron and at (5.1): job files and folders writable and readable by root only."""

from inspecpy import control, describe
from inspecpy.resources import file

SECTION = "5.1 Configure time-based job schedulers"


@control("linux-crontab-permissions", impact=0.5, title="/etc/crontab is owned by root and private",
         desc="Whoever can change /etc/crontab runs commands as root; whoever can read it learns when and how.",
         tags={"section": SECTION, "level": 1},
         only_if=lambda: file("/etc/crontab").exists, only_if_message="/etc/crontab does not exist")
def _():
    describe(file("/etc/crontab")).should.be_owned_by("root")
    describe(file("/etc/crontab")).should_not.be_more_permissive_than("0600")


def _cron_dir(path: str, number: str):
    @control(f"linux-cron-dir-{path.rsplit('/', 1)[-1].replace('.', '-')}", impact=0.5,
             title=f"{path} is owned by root and private",
             desc=f"Scripts in {path} run as root; only root may add, change or list them.",
             tags={"section": f"{SECTION} ({number})", "level": 1},
             only_if=lambda: file(path).exists, only_if_message=f"{path} does not exist")
    def _():
        describe(file(path)).should.be_owned_by("root")
        describe(file(path)).should_not.be_more_permissive_than("0700")


for _path, _number in (("/etc/cron.hourly", "5.1.3"), ("/etc/cron.daily", "5.1.4"),
                       ("/etc/cron.weekly", "5.1.5"), ("/etc/cron.monthly", "5.1.6"), ("/etc/cron.d", "5.1.7")):
    _cron_dir(_path, _number)


@control("linux-cron-at-allow-lists", impact=0.3, title="cron and at are limited to allow-listed users",
         desc="With cron.allow/at.allow present (and no deny files), only the users listed can schedule jobs.",
         tags={"section": f"{SECTION} (5.1.8, 5.1.9)", "level": 1},
         only_if=lambda: file("/usr/bin/crontab").exists or file("/usr/bin/at").exists,
         only_if_message="neither cron nor at is installed")
def _():
    for tool in ("cron", "at"):
        if not file(f"/usr/bin/{'crontab' if tool == 'cron' else 'at'}").exists:
            continue
        describe(file(f"/etc/{tool}.deny")).should_not.exist()
        describe(file(f"/etc/{tool}.allow")).should.exist()
        describe(file(f"/etc/{tool}.allow")).should_not.be_more_permissive_than("0640")
