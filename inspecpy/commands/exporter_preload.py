"""What the exporter's forkserver imports once, so that each run's process starts warm.

Importing this module builds the plugin registry (entry points and
built-in resources: ~0.4 s), which every forked run then shares instead of
rebuilding; see :class:`inspecpy.run.exporter.ChildRuns` and ``exporter_cmd``.
"""

import prometheus_client  # noqa: F401 - the reporter renders with it in every run

import inspecpy.api  # noqa: F401
import inspecpy.commands.exec_cmd  # noqa: F401
import inspecpy.run.fleet  # noqa: F401
from inspecpy.plugins import registry

registry()
