"""A third-party resource, registered through the entry point group ``inspecpy``."""

from functools import cached_property

from inspecpy.hookspecs import hookimpl
from inspecpy.resources.base import Resource


class Greeting(Resource):
    """What ``echo hello NAME`` prints on the target.

    Python: ``describe(greeting("world")).its("text").should.eq("hello world")``
    YAML: ``- greeting: world``
    """

    name = "greeting"

    def __init__(self, who: str):
        super().__init__()
        self.who = who

    @property
    def resource_id(self) -> str:
        return self.who

    @cached_property
    def text(self) -> str:
        return self.target.run("echo hello {}", self.who).stdout.strip()


@hookimpl
def inspecpy_resources():
    return [Greeting]
