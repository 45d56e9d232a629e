"""System file permissions (6.1): the account databases and their backups."""

from inspecpy import control

SECTION = "6.1 System file permissions"
SHADOW_GROUPS = ("root", "shadow")

ACCOUNT_FILES = [
    # id suffix, path, most permissive mode, accepted groups, required, what it holds
    ("passwd", "/etc/passwd", "0644", ("root",), True, "account names, ids, homes and shells"),
    ("passwd-backup", "/etc/passwd-", "0644", ("root",), False, "the previous copy of /etc/passwd"),
    ("shadow", "/etc/shadow", "0640", SHADOW_GROUPS, True, "password hashes and ageing"),
    ("shadow-backup", "/etc/shadow-", "0640", SHADOW_GROUPS, False, "the previous copy of /etc/shadow"),
    ("group", "/etc/group", "0644", ("root",), True, "group names, ids and members"),
    ("group-backup", "/etc/group-", "0644", ("root",), False, "the previous copy of /etc/group"),
    ("gshadow", "/etc/gshadow", "0640", SHADOW_GROUPS, True, "group passwords and administrators"),
    ("gshadow-backup", "/etc/gshadow-", "0640", SHADOW_GROUPS, False, "the previous copy of /etc/gshadow"),
]


def _register(suffix, path, max_mode, groups, required, holds):
    secret = "shadow" in suffix

    @control(f"linux-{suffix}-permissions", impact=0.7 if secret else 0.5,
             title=f"{path} is owned by root and at most {max_mode}",
             desc=f"{path} holds {holds}. Only root may change it"
                  + (", and only root and the shadow group may read it." if secret else "."),
             tags={"section": SECTION, "level": 1},
             descriptions={"rationale": "A writable account database lets any user become root; a readable "
                                        "hash file hands out password hashes to crack offline."})
    def _():
        protected_file(path, max_mode, groups, required)  # noqa: F821 - from libraries/checks.py


for _spec in ACCOUNT_FILES:
    _register(*_spec)
