"""``inspecpy check PROFILE``: validate a profile (folder or archive) without running it.

Exit 0 when valid (warnings allowed), 1 when there is an error, 5 when an
archive's signature or manifest does not verify.
"""

from __future__ import annotations

from inspecpy.commands.trust_options import add_trust_options, trust_from_args


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("check", help="validate a profile without running it")
    parser.add_argument("profile", metavar="PROFILE", help="a profile folder or archive")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_trust_options(parser)


def render_text(report) -> str:
    """The human report: a summary block, then one line per finding."""
    lines = [f"{'Location:':<12} {report.location}", f"{'Profile:':<12} {report.profile or '(not loaded)'}",
             f"{'Controls:':<12} {report.controls}", f"{'Timestamp:':<12} {report.timestamp}",
             f"{'Valid:':<12} {str(report.valid).lower()}"]
    if report.archive:
        lines.append(f"{'Archive:':<12} {report.archive}")
    lines.append("")
    if not report.findings:
        lines.append("  ✔  No errors or warnings")
    lines += [f"  ×  {f.text()}" for f in report.errors]
    lines += [f"  !  {f.text()}" for f in report.warnings]
    summary = f"Summary: {len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    return "\n".join(lines + ["", summary, ""])


def run(args) -> int:
    import json

    from inspecpy.profile.check import check_profile

    report, _ = check_profile(args.profile, trust_from_args(args, [args.profile]))
    if args.format == "json":
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(render_text(report), end="")
    return 0 if report.valid else 1
