"""The ``etc_hosts`` resource: ``/etc/hosts`` as a filter table."""

from __future__ import annotations

from inspecpy.resources.filtering import Column, FileTable


def parse_hosts(text: str) -> list[dict]:
    """``address name alias…`` lines (comments after ``#`` dropped) → rows."""
    rows = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            rows.append({"ip_address": fields[0], "primary_name": fields[1], "all_host_names": fields[1:]})
    return rows


class EtcHosts(FileTable):
    """Static host names.

    Python::

        describe(etc_hosts().where(primary_name="localhost")).its("ip_address").should.include("127.0.0.1")

    YAML::

        - etc_hosts: null
          its: {primary_name: {include: localhost}}
    """

    name = "etc_hosts"
    display_name = "Hosts File"

    default_path = "/etc/hosts"
    parse = staticmethod(parse_hosts)

    ip_address = Column("ip_address", "Addresses, one per line (InSpec's name).")
    primary_name = Column("primary_name", "The first name on each line.")
    all_host_names = Column("all_host_names", "Every name on each line (a list per line).")
