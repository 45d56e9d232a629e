"""Profiles: reading ``inspec.yml``, loading control files, inputs, waivers, dependencies, archives.

Nothing here touches a target. :mod:`.loader` builds a :class:`Profile`
from a folder or an archive; :mod:`.check` validates one without running
it; :mod:`.export` writes InSpec's profile JSON; :mod:`.scaffold` writes a
new one.
"""
