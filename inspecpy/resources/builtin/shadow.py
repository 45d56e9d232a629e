"""The ``shadow`` resource: ``/etc/shadow`` as a filter table."""

from __future__ import annotations

from inspecpy.resources.accounts import parse_shadow
from inspecpy.resources.filtering import Column, FileTable


class Shadow(FileTable):
    """The target's ``/etc/shadow`` (reading it needs root: otherwise an error result).

    Python::

        describe(shadow().where(password="")).its("users").should.be_empty()
        describe(shadow().where(lambda e: e.max_days is None or e.max_days > 365)).should_not.exist()

    YAML::

        - shadow: null
          its: {users: {include: root}}

    Row fields: ``user``, ``password``, ``last_change``, ``min_days``,
    ``max_days``, ``warn_days``, ``inactive_days``, ``expiry_date`` (ints,
    None when empty), ``reserved``.
    """

    name = "shadow"
    display_name = "/etc/shadow"

    default_path = "/etc/shadow"
    parse = staticmethod(parse_shadow)

    def label(self) -> str:
        return self.path

    users = Column("user", "Account names.")
    passwords = Column("password", "Password hashes (``!``/``*`` lock the account).")
    last_changes = Column("last_change", "Days since 1970-01-01 of the last password change.")
    min_days = Column("min_days")
    max_days = Column("max_days")
    warn_days = Column("warn_days")
    inactive_days = Column("inactive_days")
    expiry_dates = Column("expiry_date")
