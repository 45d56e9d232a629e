"""Registers the built-in targets."""

from inspecpy.hookspecs import hookimpl


@hookimpl
def inspecpy_targets():
    from inspecpy.targets.docker.target import DockerTarget, PodmanTarget
    from inspecpy.targets.local import LocalTarget
    from inspecpy.targets.replay import ReplayTarget
    from inspecpy.targets.ssh.target import SshTarget

    return [LocalTarget, SshTarget, DockerTarget, PodmanTarget, ReplayTarget]
