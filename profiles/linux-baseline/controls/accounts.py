"""User and group settings (6.2): unique ids, shadowed passwords, root's PATH."""

from inspecpy import control, describe, input
from inspecpy.resources import etc_group, file, os_env, passwd, shadow, users

SECTION = "6.2 User and group settings"


@control("linux-root-only-uid-0", impact=1.0, title="root is the only account with uid 0",
         desc="Every uid 0 account is root under another name, outside the audit trail of root logins.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(users().where(lambda u: u.uid == 0)).its("usernames").should.eq(["root"])


@control("linux-unique-uids", impact=0.5, title="No two accounts share a uid",
         desc="Accounts sharing a uid share every file and cannot be told apart in logs.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(passwd()).its("uids").should_not.contain_duplicates()


@control("linux-unique-usernames", impact=0.5, title="No account name appears twice in /etc/passwd",
         desc="Two entries with one name make logins and file ownership depend on which line a tool reads first.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(passwd()).its("users").should_not.contain_duplicates()


@control("linux-unique-gids", impact=0.5, title="No two groups share a gid",
         desc="Groups sharing a gid share every file permission granted to either of them.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(etc_group()).its("gids").should_not.contain_duplicates()


@control("linux-unique-group-names", impact=0.5, title="No group name appears twice in /etc/group",
         desc="Two groups with one name make membership depend on which line a tool reads first.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(etc_group()).its("groups").should_not.contain_duplicates()


@control("linux-passwords-shadowed", impact=0.7, title="Password hashes live in /etc/shadow only",
         desc="/etc/passwd is world-readable; every entry's password field must be 'x'.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(passwd().where(lambda e: e.password != "x")).its("users").should.be_empty()


@control("linux-no-empty-passwords", impact=1.0, title="No account has an empty password",
         desc="An empty password field lets anyone log in to the account without a password.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(shadow().where(password="")).its("users").should.be_empty()


@control("linux-no-legacy-nis-entries", impact=0.5, title="No legacy '+' NIS entries in the account files",
         desc="'+' lines once pulled NIS maps into local files; on a modern system they may open an account.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(passwd().where(lambda e: e.user.startswith("+"))).its("users").should.be_empty()
    describe(etc_group().where(lambda e: e.name.startswith("+"))).its("groups").should.be_empty()
    describe(shadow().where(lambda e: e.user.startswith("+"))).its("users").should.be_empty()


@control("linux-primary-groups-exist", impact=0.3, title="Every account's primary group exists",
         desc="A primary gid with no group gives new files a group that anyone created later may own.",
         tags={"section": SECTION, "level": 1})
def _():
    known = set(etc_group().gids)
    describe(passwd().where(lambda e: e.gid not in known)).its("users").should.be_empty()


@control("linux-system-accounts-no-shell", impact=0.5,
         title="System accounts cannot log in with a shell",
         desc="Service accounts (uid below uid_min) need no interactive shell; give them nologin or false.",
         tags={"section": "5.5 User accounts and environment", "level": 1})
def _():
    exempt, uid_min = set(input("login_shell_exempt")), input("uid_min")
    system = users().where(lambda u: u.uid < uid_min and u.username not in exempt)
    describe(system.where(lambda u: not str(u.shell).endswith(("nologin", "/false")))).its("usernames").should.be_empty()


@control("linux-root-path-safe", impact=0.7, title="root's PATH has no empty entry and no '.'",
         desc="An empty entry or '.' in PATH runs programs from the current directory, where another "
              "user may have planted one.",
         tags={"section": SECTION, "level": 1})
def _():
    path = os_env("PATH")
    describe(path).its("split").should_not.include("")
    describe(path).its("split").should_not.include(".")


@control("linux-root-home-private", impact=0.5, title="root's home directory is private",
         desc="Other users must not read root's files (shell history, keys).",
         tags={"section": SECTION, "level": 1})
def _():
    describe(file("/root")).should.be_directory()
    describe(file("/root")).should_not.be_more_permissive_than("0750")
