"""The DSL that control files use: ``control``, ``describe``, ``input``, ``skip`` and friends.

Modules: :mod:`.controls` (the ``Control`` data and the ``@control``
decorator), :mod:`.expect` (``describe(...).its(...).should...``),
:mod:`.matchers` (every matcher, one registry), :mod:`.recording` (where
test results go), :mod:`.loading` (what control files call while a profile
loads: ``input``, ``profile_file``, ``include_controls``)::

    from inspecpy.dsl import control, describe
"""

from inspecpy.dsl.controls import control, skip
from inspecpy.dsl.expect import describe
from inspecpy.dsl.loading import include_controls, input, profile_file, require_controls

__all__ = ["control", "describe", "input", "skip", "include_controls", "require_controls", "profile_file"]
