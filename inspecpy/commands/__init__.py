"""One module per subcommand; each has ``add_parser(subparsers)`` and ``run(args) -> int``.

Modules import their heavy dependencies inside ``run`` so that
``inspecpy --version`` stays instant.
"""

COMMANDS: tuple[str, ...] = (
    "exec_cmd",
    "detect",
    "plugins_cmd",
    "version",
    "shell",
    "init",
    "check_cmd",
    "json_cmd",
    "archive_cmd",
    "keys_cmd",
    "import_cmd",
    "exporter_cmd",
)
