#!/usr/bin/env python3
"""Record the facts that need another host than this machine as it is (``tests/facts/<resource>/*.json``).

    scripts/record_server_facts.py [GROUP ...]        # every group by default; needs root

Each group is a real host, started here and stopped by PID at the end:

- ``isolated``: the isolated sshd of ``tests/servers`` (its own ``/etc``, an
  Ubuntu 22.04 os-release), holding the files of :data:`ISOLATED_FILES` and a
  synthetic ``/etc/shadow``; an ``http.server`` on loopback for ``http``
  (``curl`` runs on the SSH host);
- ``debian``, ``busybox``: containers of the private dockerd of
  ``tests/servers`` (debootstrap'd bookworm minbase; static busybox), probed
  through ``docker exec`` (:class:`ContainerTarget`);
- ``netns``: network namespaces holding listeners, iptables rules and an
  nftables ruleset (``nft`` from Debian's nftables package, unpacked, when it
  is not installed);
- ``pidns``: a PID namespace where ``ps`` sees a few known processes;
- ``cron``: ``crontab -l`` of Debian's cron package (unpacked) over a spool
  bind-mounted in a private mount namespace.

Recordings made inside a namespace run ``scripts/record_fact.py`` there.
Read every answer this prints before committing the facts.
"""

from __future__ import annotations

import argparse
import grp
import io
import os
import pickle  # noqa: S403 - only to *write* a malicious pickle for the scanner's fact; nothing is loaded
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspecpy.resources.facts import record_fact  # noqa: E402
from inspecpy.targets.base import CommandResult, FileStat, Target  # noqa: E402
from inspecpy.targets.shell_files import ShellFiles  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from record_fact import write_fact  # noqa: E402

PYTHON = sys.executable
IP = shutil.which("ip") or "/usr/bin/ip"
RECORD = [PYTHON, str(ROOT / "scripts" / "record_fact.py")]


class ContainerTarget(Target):
    """A running container, probed with ``docker exec`` (files through the shell, as an SSH host without SFTP)."""

    scheme = "docker"

    def __init__(self, container, image: str):
        super().__init__(f"docker://{image}")
        self.container = container
        self.files = ShellFiles(self._run_bytes, "the container's shell could not")

    def _run_bytes(self, command: str) -> tuple[bytes, bytes, int]:
        code, (out, err) = self.container.exec_run(["/bin/sh", "-c", command], demux=True)
        return out or b"", err or b"", code

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        out, err, code = self._run_bytes(command)
        return CommandResult(out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), code)

    def _stat(self, path: str) -> FileStat:
        return self.files.stat(path)

    def _open(self, path: str) -> BinaryIO:
        return self.files.open(path)

    def _listdir(self, path: str) -> list[str]:
        return self.files.listdir(path)


def record(target: Target, resource: str, args: list, attributes: list[str], case: str, source: str,
           kwargs: dict | None = None) -> None:
    write_fact(record_fact(target, resource, attributes, args, kwargs), case, source)


def record_inside(prefix: list[str], resource: str, args: str, attributes: list[str], case: str, source: str,
                  kwargs: str = "{}", env: dict | None = None) -> None:
    """Run ``scripts/record_fact.py`` under *prefix* (``ip netns exec NS``, ``unshare …``)."""
    subprocess.run([*prefix, *RECORD, resource, args, *attributes, "--kwargs", kwargs, "--case", case,
                    "--source", source], check=True, env={**os.environ, **(env or {})})


@contextmanager
def background(argv: list[str], log: Path, ready: Callable[[subprocess.Popen], object]):
    """A process running while the block runs (its output in *log*), once *ready* returned; stopped by its PID."""
    from tests.servers.process import spawn, stop_process

    process = spawn(argv, log)
    try:
        ready(process)
        yield process
    finally:
        stop_process(process)


def wait_line(log: Path, line: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until *process* wrote *line* to *log*; fail at once if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if line in log.read_text(errors="replace").splitlines():
            return
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}: {log.read_text(errors='replace')}")
        time.sleep(0.05)
    raise RuntimeError(f"{process.args} did not print {line!r} within {timeout:.0f} s: "
                       f"{log.read_text(errors='replace')}")


# ---------------------------------------------------------------------------------------------- isolated sshd
SSHD_EXTRA = """Include /etc/ssh/sshd_config.d/*.conf
Match User inspecpy-sudopw
    X11Forwarding no
    PermitTTY no
Match Address 10.0.0.0/8,192.168.0.0/16
    PasswordAuthentication no
    AllowTcpForwarding no
"""
SHADOW = """root:*:19700:0:99999:7:::
sshd:*:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
inspecpy-ssh:$y$j9T$synthetic.salt$synthetic.hash.for.a.fact.not.a.password:19700:0:99999:7:::
inspecpy-sudopw:$6$synthetic$synthetic.sha512.hash.for.a.fact:19650:1:90:14:30::
inspecpy-bench:*:19700:0:99999:7:::
inspecpy-iso:!:19000:7:42:14:::
"""
WORKFLOW_CI = """name: ci
on:
  pull_request_target:
  push:
    branches: [main]
permissions: write-all
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - name: Greet
        run: echo "Title ${{ github.event.pull_request.title }}"
      - uses: actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b
        with:
          python-version: "3.12"
      - run: pip install -e . && pytest -q
        env:
          PYPI_TOKEN: ${{ secrets.PYPI_TOKEN }}
"""
WORKFLOW_RELEASE = """name: release
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  publish:
    runs-on: [self-hosted, linux]
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          persist-credentials: false
      - uses: ./.github/actions/build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
ACTION_BUILD = """name: build
runs:
  using: composite
  steps:
    - run: python -m build
      shell: bash
"""
SERVING = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: classifier
  namespace: ml
  labels: {app: classifier}
spec:
  replicas: 2
  selector: {matchLabels: {app: classifier}}
  template:
    metadata: {labels: {app: classifier}}
    spec:
      containers:
        - name: server
          image: registry.example.com/classifier:1.4
          securityContext: {privileged: true}
          env:
            - {name: API_KEY, value: "not-a-real-key"}
        - name: metrics
          image: registry.example.com/exporter@sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
          securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
          resources: {limits: {cpu: 500m, memory: 256Mi}}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
  namespace: ml
spec:
  predictor:
    minReplicas: 1
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://models/iris/v3
---
apiVersion: v1
kind: Secret
metadata:
  name: registry-credentials
  namespace: ml
stringData:
  username: ci
  token: placeholder
"""
FSTAB = """# /etc/fstab: static file system information.
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
UUID=0a3407de-014b-458b-b5c1-848e92a327a3 /               ext4    errors=remount-ro 0       1
UUID=BC2E-7C61  /boot/efi       vfat    umask=0077      0       1
/swapfile       none            swap    sw              0       0
tmpfs           /tmp            tmpfs   nodev,nosuid,noexec,size=2G 0 0
/dev/sdb1       /mnt/backup\\040disk ext4 defaults,nofail 0 2
nas.example.com:/export/home /home nfs4 rw,nosuid,_netdev
"""
TRAIN_CSV = """age,income,email,label
34,52000,,0
41,61000,ana@example.com,1
29,38000,,0
41,61000,,0
34,52000,,0
55,,,1
"""
TEST_JSONL = """{"age": 30, "income": 41000, "label": 0}
{"age": 47, "income": 73000.5, "label": 1}
{"age": 52, "income": null, "label": 1}
"""
CONFIG_JSON = """{"server": {"port": 8443, "tls": {"enabled": true, "min_version": "1.2"}},
 "log_level": "info", "admins": ["ana", "ben"], "features": {"beta": false}}
"""
AUDITD_CONF = """#
# This file controls the configuration of the audit daemon
#

local_events = yes
write_logs = yes
log_file = /var/log/audit/audit.log
log_group = adm
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 8
num_logs = 5
max_log_file_action = ROTATE
space_left = 75
space_left_action = SYSLOG
admin_space_left_action = SUSPEND
disk_full_action = SUSPEND
"""
NTP_CONF = """# servers, one per line
server 0.debian.pool.ntp.org iburst
server 1.debian.pool.ntp.org iburst
restrict -4 default kod notrap nomodify nopeer noquery limited
driftfile /var/lib/ntpsec/ntp.drift
"""
LIMITS_D = """# CIS 1.5.1: no core dumps; students get few processes
*               hard    core            0
@student        hard    nproc           20
@student        soft    nproc           10
*               -       maxlogins       4
ftp             -       chroot          /ftp
"""
MODPROBE_CIS = """# CIS 1.1.1: filesystems and protocols that are never needed
install cramfs /bin/true
install usb-storage /bin/false
blacklist dccp
install dccp /bin/false
"""
SSHD_DROPIN = """# hardening drop-in: sshd keeps the first value it reads
MaxAuthTries 3
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com
X11Forwarding yes
AllowTcpForwarding no
"""


def npz_bytes() -> bytes:
    """A tiny two-layer network saved with numpy.savez (a zip of .npy arrays: safe to scan)."""
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, W0=np.array([[0.5, -0.25], [0.125, 1.0]]), b0=np.array([0.0, 0.1]),
             W1=np.array([[1.0], [-1.0]]), b1=np.array([0.0]))
    return buffer.getvalue()


class _System:
    """Pickles as ``os.system('echo pwned')``: the classic malicious model file (written, never loaded)."""

    def __reduce__(self):
        return os.system, ("echo pwned",)


ISOLATED_FILES: dict[str, str | bytes] = {
    "/etc/ssh/sshd_config.d/50-hardening.conf": SSHD_DROPIN,
    "/etc/security/limits.d/90-cis.conf": LIMITS_D,
    "/etc/modprobe.d/cis.conf": MODPROBE_CIS,
    "/etc/fstab": FSTAB,
    "/etc/audit/auditd.conf": AUDITD_CONF,
    "/etc/ntpsec/ntp.conf": NTP_CONF,
    "/etc/app/config.json": CONFIG_JSON,
    "/srv/data/train.csv": TRAIN_CSV,
    "/srv/data/test.jsonl": TEST_JSONL,
    "/srv/repo/.github/workflows/ci.yml": WORKFLOW_CI,
    "/srv/repo/.github/workflows/release.yml": WORKFLOW_RELEASE,
    "/srv/repo/.github/actions/build/action.yml": ACTION_BUILD,
    "/srv/repo/deploy/serving.yaml": SERVING,
}


def self_signed_ec_certificate() -> bytes:
    """A DER certificate for an EC P-256 key with SANs (the key is thrown away)."""
    import ipaddress
    from datetime import datetime, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Serving"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "models.example.com")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(0x1F2E3D).not_valid_before(datetime(2025, 1, 1, tzinfo=timezone.utc))
            .not_valid_after(datetime(2027, 1, 1, tzinfo=timezone.utc))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("models.example.com"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=True, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


def isolated_group(work: Path) -> None:
    from tests.integration.sshd import ensure_test_users
    from tests.servers.isolated_sshd import IsolatedSshServer

    files = dict(ISOLATED_FILES)
    files["/srv/models/classifier.npz"] = npz_bytes()
    files["/srv/models/evil.pkl"] = pickle.dumps(_System(), protocol=0)
    files["/etc/ssl/certs/models.der"] = self_signed_ec_certificate()
    users = ensure_test_users(work / "users")
    server = IsolatedSshServer.start_new(work / "isolated", users, extra_config=SSHD_EXTRA, files=files)
    www = work / "www"
    www.mkdir()
    (www / "health.json").write_text('{"status": "ok"}\n')
    from tests.integration.sshd import free_port

    port = free_port("127.0.0.1")
    try:
        server.put("/etc/shadow", SHADOW, mode=0o640)
        os.chown(server.host_path("/etc/shadow"), 0, grp.getgrnam("shadow").gr_gid)
        source = "isolated sshd of tests/servers (own /etc, Ubuntu 22.04 os-release), files written by " \
                 "scripts/record_server_facts.py"
        with server.target() as ssh:
            record(ssh, "sshd_config", [], [
                "PermitRootLogin", "PasswordAuthentication", "MaxAuthTries", "Ciphers", "X11Forwarding",
                "AllowTcpForwarding", "LoginGraceTime", "AllowUsers", "Port", "HostKey", "errors",
                "match_blocks.0.criteria", "match_blocks.0.params", "match_blocks.1.criteria",
                "match_blocks.1.params", "match_settings"], "isolated_match_blocks", source)
            record(ssh, "limits_conf", [], ["*", "@student", "ftp", "params"], "isolated_limits_d", source)
            for module in ("cramfs", "usb_storage", "dccp", "ext4"):
                record(ssh, "kernel_module", [module], ["loaded", "disabled", "blacklisted", "version"],
                       f"isolated_{module}", source + "; this VM's kernel has no /proc/modules")
            record(ssh, "etc_fstab", [], ["mount_points", "device_names", "file_system_types", "mount_options",
                                          "dump_options", "file_system_options", "count"], "isolated", source)
            record(ssh, "parse_config_file", ["/etc/audit/auditd.conf"],
                   ["log_file", "max_log_file_action", "space_left", "num_logs", "params"], "auditd_conf", source)
            record(ssh, "parse_config_file", ["/etc/ntpsec/ntp.conf"], ["server", "driftfile", "restrict"],
                   "ntp_multiple_values", source, {"separator": " ", "multiple_values": True})
            record(ssh, "json", ["/etc/app/config.json"], ["server.port", "server.tls.enabled",
                                                           "server.tls.min_version", "admins", "features.beta",
                                                           "missing.key"], "isolated_app_config", source)
            record(ssh, "dataset", ["/srv/data/train.csv"], [
                "rows", "columns", "shape", "dtypes", "missing", "missing_by_column", "duplicate_rows",
                "conflicting_labels", "class_counts", "class_balance", "min", "max", "mean", "std", "pii",
                "pii.0.kind", "pii.0.column", "pii.0.count", "pii.0.first_row", "sha256"], "train_csv", source, {"label": "label"})
            record(ssh, "dataset", ["/srv/data/test.jsonl"], [
                "rows", "columns", "dtypes", "missing", "missing_by_column", "class_counts", "mean"],
                "test_jsonl", source, {"label": "label"})
            record(ssh, "model", ["/srv/models/classifier.npz"], [
                "format", "safe", "unsafe_globals", "scan_errors", "size", "sha256"], "safe_npz", source)
            record(ssh, "model", ["/srv/models/evil.pkl"], [
                "format", "safe", "unsafe_globals", "globals", "size", "sha256"], "os_system_pickle", source)
            record(ssh, "x509_certificate", ["/etc/ssl/certs/models.der"], [
                "exists", "subject", "subject_dn", "issuer_dn", "not_before", "not_after", "serial", "version",
                "signature_algorithm", "key_algorithm", "key_length", "subject_alt_names", "extensions"],
                "der_ec_p256", source)
            workflows = "/srv/repo/.github/workflows"
            record(ssh, "github_workflow", [f"{workflows}/ci.yml"], [
                "workflow_name", "triggers", "dangerous_triggers", "permissions", "permissions_declared",
                "permission_problems", "labels", "uses", "ref_kinds", "injections", "secrets",
                "jobs.jobs", "jobs.permissions_sources"], "ci_pull_request_target", source)
            record(ssh, "github_workflows", [workflows], [
                "workflow_files", "files", "labels", "uses", "ref_kinds", "dangerous_triggers",
                "permission_problems", "jobs.jobs", "jobs.runs_on"], "two_workflows", source)
            record(ssh, "zizmor", [workflows], ["audits", "severities", "files", "lines"], "two_workflows",
                   source + "; audited by the pinned zizmor (inspecpy[zizmor]) on this machine")
            record(ssh, "k8s_manifests", ["/srv/repo/deploy"], [
                "files", "kinds", "names", "namespaces", "storage_uris", "entries.0.workload",
                "entries.0.replicas", "entries.2.literal_secrets", "containers.images", "containers.labels",
                "containers.entries.0.privileged", "containers.entries.0.pinned_by_digest",
                "containers.entries.0.literal_secret_env", "containers.entries.1.pinned_by_digest",
                "containers.entries.1.run_as_non_root",
                "schema_problems", "unvalidated_kinds"], "serving", source)
            record(ssh, "os_env", ["PATH"], ["content", "split"], "isolated_ssh_login", source)
            record(ssh, "os_env", ["INSPECPY_NOT_SET"], ["content", "split"], "unset", source)
            for name in ("platform", "os"):
                record(ssh, name, [], ["name", "family", "release", "families", "arch", "linux", "unix",
                                       "windows"], "ubuntu2204_isolated", source)
            from tests.servers.process import wait_http

            with background([PYTHON, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(www)],
                            work / "http-server.log",
                            lambda process: wait_http(f"http://127.0.0.1:{port}/health.json", process, 30)):
                record(ssh, "http", [f"http://127.0.0.1:{port}/health.json"], [
                    "status", "body", "headers.Content-type", "headers.content-length", "http_method"],
                       "curl_over_ssh", source + "; python3 -m http.server on loopback, requested with curl there")
                record(ssh, "http", [f"http://127.0.0.1:{port}/missing"], ["status", "headers.Content-Type"],
                       "curl_404", source + "; python3 -m http.server on loopback, requested with curl there")
        with server.target(sudo=True) as root:
            record(root, "shadow", [], ["users", "passwords", "last_changes", "min_days", "max_days", "warn_days",
                                        "inactive_days", "expiry_dates", "count"], "isolated_synthetic",
                   source + "; a synthetic /etc/shadow (no real hash), read with sudo")
            record(root, "users", [], ["usernames", "uids", "gids", "groupnames", "groups", "homes", "shells",
                                       "mindays", "maxdays", "warndays", "entries.6"], "isolated_synthetic_shadow",
                   source + "; a synthetic /etc/shadow (no real hash), read with sudo")
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------- containers
def add_init_script(container, package: Path, name: str, daemon: str) -> None:
    """Copy an unpacked package's SysV init script and daemon into the container and enable the
    script with ``update-rc.d`` (its links in ``/etc/rc?.d``), as installing the package would."""
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in (f"etc/init.d/{name}", daemon.lstrip("/")):
            tar.add(package / path, arcname=path)
    container.put_archive("/", buffer.getvalue())
    code, out = container.exec_run(["/usr/sbin/update-rc.d", name, "defaults"])
    if code != 0:
        raise RuntimeError(f"update-rc.d {name} defaults failed: {out.decode(errors='replace')}")


def container_groups(work: Path, groups: set[str]) -> None:
    from tests.servers import docker_images
    from tests.servers.docker_engine import DockerEngine

    engine = DockerEngine.start_new(work / "docker")
    try:
        if "debian" in groups:
            tag = docker_images.import_debian(engine).tag
            box = engine.run(tag, ["sleep", "86400"])
            target = ContainerTarget(box, tag)
            source = "a container of debootstrap --variant=minbase bookworm (tests/servers), docker exec"
            record(target, "processes", ["sleep"], ["pids", "ppids", "users", "states", "commands"],
                   "debian12_container_proc", source + "; no ps in minbase: read from /proc")
            record(target, "package", ["bash"], ["installed", "version"], "debian12_bash", source)
            record(target, "package", ["telnet"], ["installed", "version"], "debian12_not_installed", source)
            record(target, "service", ["hwclock.sh"], ["type", "installed", "enabled", "running", "runlevels"],
                   "sysv_debian12_container", source + "; no init system runs: SysV scripts")
            record(target, "service", ["ssh"], ["type", "installed", "enabled", "running"],
                   "sysv_not_installed", source + "; no init system runs: SysV scripts")
            add_init_script(box, unpacked(work, "cron"), "cron", "/usr/sbin/cron")
            target = ContainerTarget(box, tag)  # a new target: the first one cached the rc?.d listings
            record(target, "service", ["cron"], ["type", "installed", "enabled", "running", "runlevels"],
                   "sysv_enabled_not_running", source + "; cron's init script from Debian's cron package, "
                   "and daemon from Debian's cron package, enabled with update-rc.d, not started")
            record(target, "os_env", ["PATH"], ["content", "split"], "debian12_docker_exec", source)
            for path, case in (("/", "container_root"), ("/dev/shm", "container_dev_shm"),
                               ("/proc/sys", "container_proc_sys_ro"), ("/srv", "not_mounted")):
                record(target, "mount", [path], ["mounted", "count", "device", "type", "options"], case, source)
            record(target, "apt", [], ["urls", "suites", "components", "types", "files", "enabled", "count"],
                   "debian12_one_line_sources_list", source)
            record(target, "apt", ["http://deb.debian.org/debian/"], ["exists", "enabled", "suites"],
                   "debian12_by_url", source)
            record(target, "shadow", [], ["users", "passwords", "last_changes", "max_days", "count"],
                   "debian12_minbase", source + "; debootstrap's shadow holds no password hash")
            record(target, "users", [], ["usernames", "uids", "groupnames", "shells", "maxdays", "entries.0"],
                   "debian12_minbase", source)
        if "busybox" in groups:
            tag = docker_images.import_busybox(engine, work).tag
            box = engine.run(tag, ["sleep", "86400"])
            target = ContainerTarget(box, tag)
            source = "a container of the static busybox image of tests/servers, docker exec"
            record(target, "processes", ["sleep"], ["pids", "users", "states", "commands"], "busybox_proc",
                   source + "; busybox ps has no -o: read from /proc")
            for name in ("platform", "os"):
                record(target, name, [], ["name", "family", "release", "families", "linux"], "busybox", source)
            record(target, "os_env", ["PATH"], ["content", "split"], "busybox_docker_exec", source)
            record(target, "login_defs", [], ["PASS_MAX_DAYS", "UMASK", "ENCRYPT_METHOD", "exists"],
                   "busybox_0600", source)
            record(target, "etc_group", [], ["groups", "gids", "users"], "busybox", source)
    finally:
        engine.stop()


# ---------------------------------------------------------------------------------------------- namespaces
LISTENERS = r"""
import socket, time
def listen(family, kind, address, port, v6only=None):
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((address, port))
    if kind == socket.SOCK_STREAM:
        s.listen()
    return s
keep = [listen(socket.AF_INET, socket.SOCK_STREAM, "0.0.0.0", 8080),
        listen(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 6379),
        listen(socket.AF_INET6, socket.SOCK_STREAM, "::", 8443, v6only=1),
        listen(socket.AF_INET6, socket.SOCK_STREAM, "::", 9090, v6only=0),
        listen(socket.AF_INET6, socket.SOCK_STREAM, "::ffff:127.0.0.1", 18081),
        listen(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", 5353)]
print("listening", flush=True)
time.sleep(600)
"""
IPTABLES_RULES = [
    "-P INPUT DROP", "-P FORWARD DROP", "-N LOGDROP",
    "-A INPUT -i lo -j ACCEPT", "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-A INPUT -p tcp -m tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT", "-A INPUT -j LOGDROP",
    "-A LOGDROP -m limit --limit 5/min -j LOG --log-prefix \"dropped: \"", "-A LOGDROP -j DROP",
]
NFT_RULESET = """table inet filter {
    set blocked {
        type ipv4_addr
        flags interval
        elements = { 192.0.2.0/24, 198.51.100.7 }
    }
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        iif "lo" accept
        ip saddr @blocked drop
        tcp dport 22 ip saddr 10.0.0.0/8 accept comment "ssh from the LAN"
        counter drop
    }
    chain output {
        type filter hook output priority filter; policy accept;
    }
}
table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "eth0" masquerade
    }
}
"""


@contextmanager
def netns(name: str):
    subprocess.run([IP, "netns", "add", name], check=True)
    try:
        subprocess.run([IP, "netns", "exec", name, IP, "link", "set", "lo", "up"], check=True)
        yield [IP, "netns", "exec", name]
    finally:
        subprocess.run([IP, "netns", "del", name], check=False)


def unpacked(work: Path, *packages: str) -> Path:
    """Debian's *packages* downloaded (``apt-get download``) and unpacked, not installed: the folder."""
    into = work / "-".join(packages)
    if not into.exists():
        debs = work / f"debs-{into.name}"
        debs.mkdir()
        subprocess.run(["apt-get", "download", *packages], cwd=debs, check=True, capture_output=True)
        for deb in debs.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(into)], check=True)
    return into


def unpacked_nft(work: Path) -> tuple[str, str]:
    """(bin folder, library folder) of an ``nft`` to run: the installed one, else Debian's package unpacked."""
    if shutil.which("nft"):
        return "", ""
    root = unpacked(work, "nftables", "libnftables1", "libnftnl11", "libjansson4")
    return str(root / "usr/sbin"), str(root / "usr/lib/x86_64-linux-gnu")


def path_without(work: Path, program: str) -> Path:
    """A folder linking every program of /usr/bin but *program*: a PATH on which it is not installed."""
    folder = work / f"bin-without-{program}"
    folder.mkdir()
    for entry in Path("/usr/bin").iterdir():
        if entry.name != program:
            (folder / entry.name).symlink_to(entry)
    return folder


def netns_group(work: Path) -> None:
    source = "a network namespace of this Debian 12 VM (ip netns), python3 sockets listening in it"
    log = work / "netns-listeners.log"
    with netns("inspecpy-facts-port") as inside, \
            background([*inside, PYTHON, "-c", LISTENERS], log, lambda process: wait_line(log, "listening", process)):
        record_inside(inside, "port", "[8080]", ["listening", "addresses", "protocols", "processes", "ports"],
                      "netns_ipv4_any", source)
        record_inside(inside, "port", "[]", ["ports", "addresses", "protocols", "processes", "entries", "source"],
                      "netns_all_ss", source)
        record_inside(inside, "port", "[]", ["ports", "addresses", "protocols", "processes", "entries", "source"],
                      "netns_all_proc_net", source + "; ss not on PATH: read from /proc/net",
                      env={"PATH": f"{path_without(work, 'ss')}:/usr/sbin"})
        record_inside(inside, "port", '["127.0.0.1", 6379]', ["listening", "addresses"], "netns_address_and_port",
                      source)
        record_inside(inside, "port", "[23]", ["listening", "addresses", "processes"], "netns_not_listening",
                      source)
    source = "a network namespace of this Debian 12 VM (ip netns) with iptables (nf_tables backend) rules"
    with netns("inspecpy-facts-iptables") as inside:
        for rule in IPTABLES_RULES:
            subprocess.run([*inside, "sh", "-c", f"iptables {rule}"], check=True)
        subprocess.run([*inside, "ip6tables", "-P", "INPUT", "DROP"], check=True)
        record_inside(inside, "iptables", "[]", ["rules", "policies"], "netns_filter", source)
        record_inside(inside, "iptables", "[]", ["rules", "policies"], "netns_input_chain", source,
                      kwargs='{"chain": "INPUT"}')
        record_inside(inside, "iptables", "[]", ["rules", "policies"], "netns_ipv6", source,
                      kwargs='{"ipv6": true}')
    bindir, libdir = unpacked_nft(work)
    source = "a network namespace of this Debian 12 VM (ip netns) with an nftables 1.0.6 ruleset"
    env = {"PATH": f"{bindir}:{os.environ['PATH']}", "LD_LIBRARY_PATH": libdir} if bindir else {}
    with netns("inspecpy-facts-nft") as inside:
        (work / "ruleset.nft").write_text(NFT_RULESET)
        subprocess.run([*inside, "nft", "-f", str(work / "ruleset.nft")], check=True, env={**os.environ, **env})
        record_inside(inside, "nftables", "[]", ["tables", "chains", "policies", "rules"], "netns_ruleset", source,
                      env=env)
        record_inside(inside, "nftables", "[]", ["tables", "chains", "policies", "rules"], "netns_input_chain",
                      source, kwargs='{"family": "inet", "table": "filter", "chain": "input"}', env=env)
    with netns("inspecpy-facts-nonft") as inside:
        record_inside(inside, "nftables", "[]", ["tables", "rules"], "not_installed",
                      "a network namespace of this Debian 12 VM where nft is not installed")


def pidns_group(work: Path) -> None:
    """``ps`` in a PID namespace: the recorder, its shell, and two known sleepers."""
    prefix = ["unshare", "--pid", "--fork", "--mount-proc", "bash", "-c",
              'sleep 600 & (exec -a "/usr/sbin/sshd -D" sleep 601) & exec "$0" "$@"']
    source = "ps (procps-ng 4.0.2) in a PID namespace of this Debian 12 VM (unshare --pid --mount-proc)"
    record_inside(prefix, "processes", '["sleep"]', ["pids", "ppids", "users", "states", "commands"],
                  "debian12_ps", source)
    record_inside(prefix, "processes", '["sshd"]', ["pids", "users", "commands", "exists"], "debian12_ps_sshd",
                  source + "; a process whose argv[0] is '/usr/sbin/sshd -D'")
    record_inside(prefix, "processes", '["/usr/sbin/sshd"]', ["commands", "exists"], "debian12_ps_by_path",
                  source + "; a process whose argv[0] is '/usr/sbin/sshd -D'")


def cron_group(work: Path) -> None:
    """``crontab -l`` of Debian's cron package (unpacked) over a spool in a private mount namespace."""
    cron = unpacked(work, "cron")
    spool = work / "spool" / "cron" / "crontabs"
    spool.mkdir(parents=True)
    (spool / "root").write_text(
        "# DO NOT EDIT THIS FILE - edit the master and reinstall.\n"
        "# (/tmp/crontab.Kz3x1W installed on Thu Jan  1 00:00:00 2026)\n"
        "# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n"
        "# m h  dom mon dow   command\nMAILTO=ops@example.com\n"
        "0 2 * * * /usr/sbin/logrotate /etc/logrotate.conf\n"
        "*/15 * * * *\t/usr/local/bin/backup --quiet\n@reboot /usr/local/bin/warmup\n@daily /usr/bin/apt-get -qq update\n")
    os.chmod(spool / "root", 0o600)
    prefix = ["unshare", "--mount", "sh", "-c", f'mount --bind {work / "spool"} /var/spool && exec "$0" "$@"']
    env = {"PATH": f"{cron / 'usr/bin'}:{os.environ['PATH']}"}
    source = "crontab -l of Debian 12's cron 3.0pl1-162 (unpacked), its spool bind-mounted in a mount namespace"
    record_inside(prefix, "crontab", '["root"]', ["commands", "minutes", "hours", "days", "months", "weekdays",
                                                  "users", "entries"], "debian12_root", source, env=env)
    record_inside(prefix, "crontab", '["nobody"]', ["exists", "commands"], "debian12_no_crontab", source, env=env)


GROUPS = ("isolated", "debian", "busybox", "netns", "pidns", "cron")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"any of {', '.join(GROUPS)} (default: all)")
    options = parser.parse_args()
    groups = set(options.groups or GROUPS)
    if groups - set(GROUPS):
        parser.error(f"unknown group(s) {', '.join(sorted(groups - set(GROUPS)))}; known: {', '.join(GROUPS)}")
    work = Path(tempfile.mkdtemp(prefix="inspecpy-facts-"))
    try:
        if "isolated" in groups:
            isolated_group(work)
        if groups & {"debian", "busybox"}:
            container_groups(work, groups)
        if "netns" in groups:
            netns_group(work)
        if "pidns" in groups:
            pidns_group(work)
        if "cron" in groups:
            cron_group(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
