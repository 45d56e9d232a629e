"""Containers as targets: ``docker://`` and ``podman://`` (see :mod:`inspecpy.targets.docker.target`)."""
