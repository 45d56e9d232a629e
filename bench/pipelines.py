"""Benchmark: ci-baseline against zizmor, kserve-baseline against checkov, and 1,000 workflows' speed.

Agreement is per file: for each workflow of the corpus (tests/corpus, the
profiles' examples, this project's own workflow), does ci-baseline fail the
file on pinning (ci-01), permissions (ci-02) and injection (ci-04), and does
zizmor 1.32 report ``unpinned-uses``, ``excessive-permissions`` and
``template-injection`` (regular persona, offline)? For each manifest, does
kserve-baseline fail a control and checkov 3.3 fail the matching
``CKV_K8S_*`` checks? Every disagreement is printed with the file, so each
can be explained (a bug of ours is fixed; a deliberate difference is
documented in the note). Then 1,000 workflow files (the corpus repeated)
are parsed and judged by ci-baseline's own controls (ci-00…ci-08; zizmor
timed apart), against the goal of 2 s.

    python bench/pipelines.py                                   # checkov from PATH
    python bench/pipelines.py --checkov /tmp/venv/bin/checkov   # a throwaway venv (its deps are heavy)
    python bench/pipelines.py --files 1000 --skip-checkov
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspecpy.profile.loader import load_profile  # noqa: E402
from inspecpy.run.runner import Selection, run_target  # noqa: E402
from inspecpy.targets.local import LocalTarget  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
WORKFLOW_SOURCES = [CORPUS / "workflows", ROOT / "profiles/ci-baseline/files/passing/workflows",
                    ROOT / "profiles/ci-baseline/files/failing/workflows", ROOT / ".github/workflows"]
MANIFEST_SOURCES = [CORPUS / "manifests", ROOT / "profiles/kserve-baseline/files/passing",
                    ROOT / "profiles/kserve-baseline/files/failing"]
ZIZMOR_AUDITS = {"ci-01": "unpinned-uses", "ci-02": "excessive-permissions", "ci-04": "template-injection"}
CHECKOV_CHECKS = {
    "kserve-01": ["CKV_K8S_23"], "kserve-02": ["CKV_K8S_16"], "kserve-03": ["CKV_K8S_20"],
    "kserve-04": ["CKV_K8S_22"], "kserve-05": ["CKV_K8S_37"], "kserve-06": ["CKV_K8S_11", "CKV_K8S_13"],
    "kserve-07": ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"], "kserve-08": ["CKV_K8S_38"],
    "kserve-09": ["CKV_K8S_43"],
}


def gather(sources: list[Path], into: Path, suffixes=(".yml", ".yaml")) -> list[Path]:
    """Copy every file of *sources* into one flat folder (names made unique); the copies."""
    into.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in sources:
        for path in sorted(source.iterdir()):
            if path.suffix in suffixes and path.is_file():
                name = path.name if source.parent == CORPUS \
                    else f"{source.parent.name.lstrip('.')}__{source.name}__{path.name}"
                copies.append(into / name)
                shutil.copy(path, copies[-1])
    return copies


def our_verdicts(profile: str, input_name: str, folder: Path, controls: list[str],
                 timings: dict | None = None) -> dict[str, dict[str, bool]]:
    """file → control → failed? (from the code_desc of each result, which names the file)."""
    loaded = load_profile(str(ROOT / "profiles" / profile), {input_name: str(folder)})
    wall, cpu = time.perf_counter(), time.process_time()
    run = run_target([loaded], LocalTarget("local://"), Selection(controls=controls))
    if timings is not None:
        timings.update(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu)
    verdicts: dict[str, dict[str, bool]] = {}
    for control in run.profiles[0].controls:
        for result in control.results:
            file = next(w for w in result.code_desc.split() if w.startswith(str(folder)))
            name = Path(file).name
            verdicts.setdefault(name, {}).setdefault(control.id, False)
            if result.status != "passed":
                verdicts[name][control.id] = True
    return verdicts


def zizmor_verdicts(files: list[Path]) -> tuple[dict[str, set[str]], float]:
    """file → zizmor audits it reports (regular persona, offline); and zizmor's seconds."""
    from inspecpy.cicd.zizmor_cli import parse_findings, zizmor_binary

    started = time.perf_counter()
    done = subprocess.run([zizmor_binary(), "--offline", "--format", "json", "--no-exit-codes", "--no-progress",
                           *map(str, files)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    found: dict[str, set[str]] = {f.name: set() for f in files}
    for row in parse_findings(done.stdout, {}):
        found[Path(row["file"]).name].add(row["audit"])
    return found, seconds


def checkov_verdicts(checkov: str, folder: Path) -> dict[str, set[str]]:
    """file → CKV_K8S checks checkov fails in it."""
    done = subprocess.run([checkov, "-d", str(folder), "--framework", "kubernetes", "-o", "json", "--quiet",
                           "--compact", "--skip-download"], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"checkov failed: {done.stderr.strip()[-400:]}")
    report = json.loads(done.stdout or "{}")
    reports = report if isinstance(report, list) else [report]
    failed: dict[str, set[str]] = {}
    for item in reports:
        for check in item.get("results", {}).get("failed_checks", []):
            failed.setdefault(Path(check["file_path"]).name, set()).add(check["check_id"])
    return failed


def agreement(title: str, ours: dict[str, dict[str, bool]], theirs: dict[str, set[str]],
              mapping: dict[str, list[str]], files: list[str]) -> None:
    print(f"\n{title}")
    print(f"{'control':<11}{'their check(s)':<38}{'agree':>7}{'files':>7}  disagreements (ours/theirs)")
    for control, checks in mapping.items():
        agree, differ = 0, []
        for name in files:
            mine = ours.get(name, {}).get(control)
            if mine is None:  # no result for this file (no object of that kind): nothing to compare
                continue
            other = bool(set(checks) & theirs.get(name, set()))
            if mine == other:
                agree += 1
            else:
                differ.append(f"{name} ({'fail' if mine else 'pass'}/{'fail' if other else 'pass'})")
        total = agree + len(differ)
        print(f"{control:<11}{', '.join(checks):<38}{agree:>3}/{total:<3}{100 * agree / max(total, 1):>5.0f}%  "
              + ("; ".join(differ) or "-"))


def speed(workflows: list[Path], count: int) -> None:
    from inspecpy.cicd.zizmor_cli import zizmor_binary

    with tempfile.TemporaryDirectory(prefix="bench-pipelines-") as tmp:
        folder = Path(tmp) / ".github" / "workflows"
        folder.mkdir(parents=True)
        for i in range(count):
            source = workflows[i % len(workflows)]
            shutil.copy(source, folder / f"{i:04d}-{source.name}")
        controls = [f"ci-0{i}" for i in range(9)]
        timings: dict = {}
        verdicts = our_verdicts("ci-baseline", "workflows_path", folder, controls, timings)
        results = sum(len(v) for v in verdicts.values())
        wall, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([zizmor_binary(), "--offline", "--format", "json", "--no-exit-codes", "--no-progress",
                        str(Path(tmp))], capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        theirs = (time.perf_counter() - wall, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime)
    load = os.getloadavg()[0]
    print(f"\nSpeed: {count} workflow files (the corpus repeated), read, parsed and judged "
          f"(load average {load:.1f} on {os.cpu_count()} cores: wall time grows with it, CPU time less)")
    print(f"  ci-baseline ci-00..ci-08 (in process)   {timings['wall']:6.2f} s wall  {timings['cpu']:6.2f} s CPU  "
          f"{count / timings['cpu']:6.0f} files/CPU-s  {results} file×control verdicts   goal ≤ 2 s")
    print(f"  zizmor 1.32 (all audits, offline)       {theirs[0]:6.2f} s wall  {theirs[1]:6.2f} s CPU  "
          f"{count / max(theirs[1], 1e-9):6.0f} files/CPU-s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkov", default=shutil.which("checkov"), help="checkov executable")
    parser.add_argument("--skip-checkov", action="store_true")
    parser.add_argument("--files", type=int, default=1000, help="workflow files for the speed figure")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        wf_folder = Path(tmp) / "workflows"
        workflows = gather(WORKFLOW_SOURCES, wf_folder)
        ours = our_verdicts("ci-baseline", "workflows_path", wf_folder, list(ZIZMOR_AUDITS))
        theirs, _ = zizmor_verdicts(workflows)
        print(f"Workflows: {len(workflows)} files ({len(list((CORPUS / 'workflows').iterdir()))} from public "
              "repositories, the rest the profile's examples and this project's CI)")
        agreement("ci-baseline vs zizmor 1.32 (a file fails when zizmor reports the audit at all)", ours, theirs,
                  {c: [a] for c, a in ZIZMOR_AUDITS.items()}, [w.name for w in workflows])

        if args.skip_checkov or not args.checkov:
            print("\ncheckov: skipped (pass --checkov PATH)")
        else:
            k8s_folder = Path(tmp) / "manifests"
            manifests = gather(MANIFEST_SOURCES, k8s_folder)
            ours = our_verdicts("kserve-baseline", "manifests_path", k8s_folder, list(CHECKOV_CHECKS))
            theirs = checkov_verdicts(args.checkov, k8s_folder)
            version = subprocess.run([args.checkov, "--version"], capture_output=True, text=True).stdout.strip()
            print(f"\nManifests: {len(manifests)} files")
            agreement(f"kserve-baseline vs checkov {version} (a file fails when a check fails on any object)",
                      ours, theirs, CHECKOV_CHECKS, [m.name for m in manifests])
        speed(workflows, args.files)


if __name__ == "__main__":
    main()
