"""The ``directory`` resource: a file resource named Directory, with its entries."""

from __future__ import annotations

from functools import cached_property

from inspecpy.resources.builtin.file import File


class Directory(File):
    """A directory on the target.

    Python::

        describe(directory("/etc/ssh")).should.be_directory()
        describe(directory("/etc/ssh")).its("entries").should.include("sshd_config")

    YAML::

        - directory: /etc/ssh
          should: [exist, be_directory]
    """

    name = "directory"

    @cached_property
    def entries(self) -> list[str]:
        """The names inside the directory, sorted."""
        return self.target.listdir(self.path) if self.is_directory else []
