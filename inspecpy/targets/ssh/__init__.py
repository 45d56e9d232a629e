"""The SSH target: connecting (:mod:`.connect`), one framed command channel and SFTP per
connection (:mod:`.channels`), and the target class itself (:mod:`.target`); files
through commands when a host has no SFTP are :mod:`inspecpy.targets.shell_files`."""
