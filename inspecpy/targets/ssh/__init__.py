"""The SSH target: connecting (:mod:`.connect`), one framed command channel and SFTP per
connection (:mod:`.channels`), files through commands when a host has no SFTP
(:mod:`.command_files`), and the target class itself (:mod:`.target`)."""
