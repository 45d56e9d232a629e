"""Profile archives: a reproducible ``.tar.gz`` with a manifest of digests and an optional signature.

Layout of an archive made by ``inspecpy archive``::

    .inspecpy/manifest.json    {"format": ..., "profile": {...}, "files": {"inspec.yml": {"sha256": ..., "size": ...}}}
    .inspecpy/signature.json   {"algorithm": "ed25519", "key_id": ..., "public_key": ..., "signature": ...}
    inspec.yml, controls/..., libraries/..., files/...
    vendor/<dependency>/...    every dependency, so the archive runs anywhere

The same profile gives the same bytes (sorted members, fixed times and
owners, no gzip timestamp; Ed25519 signatures are deterministic). The
signature covers the manifest, and the manifest covers every file::

    data = build_archive(profile, key=load_private_key("ci.key"))
    path, verification = open_archive("example-0.1.0.tar.gz", Trust(keys=trusted_keys(["ci.pub"])))

Opening verifies before anything is loaded: a changed, added or missing file
or a bad signature raises :class:`~inspecpy.errors.SignatureError` (exit 5);
so does a signature by a key that is not trusted, when trusted keys are
configured, and an unsigned archive under ``require_signed``.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import tarfile
import tempfile
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inspecpy.digests import file_sha256
from inspecpy.errors import ArchiveError, ProfileError, SignatureError, UsageError
from inspecpy.profile.dependencies import VENDOR, vendor_dir_name
from inspecpy.profile.safe_tar import safe_extract

if TYPE_CHECKING:  # pragma: no cover
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from inspecpy.profile.loader import Profile

META_DIR = ".inspecpy"
MANIFEST = f"{META_DIR}/manifest.json"
SIGNATURE = f"{META_DIR}/signature.json"
FORMAT = "inspecpy-profile-archive/1"
_SUFFIXES = (".tar.gz", ".tgz")


@dataclass(frozen=True)
class Trust:
    """Which signatures to accept: trusted public keys by id, and whether unsigned is refused."""

    keys: dict[str, "Ed25519PublicKey"] = field(default_factory=dict)
    require_signed: bool = False


@dataclass(frozen=True)
class Verification:
    """What opening an archive proved."""

    archive: str
    manifest: bool = False
    signed: bool = False
    key_id: str | None = None
    trusted: bool = False
    workdir: Any = field(default=None, repr=False, compare=False)  # the extraction folder's owner

    def describe(self) -> str:
        """One line for people: ``signed by 3f1c9a0b7d2e4c55 (trusted), 12 files verified``."""
        if not self.manifest:
            return "no manifest (not made by inspecpy archive): contents not verified"
        if not self.signed:
            return "unsigned; every file matches the manifest"
        trust = "trusted" if self.trusted else "not in the trusted keys"
        return f"signed by key {self.key_id} ({trust}); every file matches the manifest"


def is_archive(path: str) -> bool:
    """True for an existing file named ``*.tar.gz``/``*.tgz`` or starting with gzip's magic bytes."""
    if not os.path.isfile(path):
        return False
    if path.endswith(_SUFFIXES):
        return True
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


# ------------------------------------------------------------- building


def profile_files(profile: "Profile", exclude: set[str] | None = None) -> dict[str, str]:
    """Archive name → file on disk: the profile's files, then each dependency under ``vendor/<name>/``."""
    exclude = {os.path.realpath(p) for p in (exclude or set())}
    root = os.path.realpath(profile.path)
    files: dict[str, str] = {}
    for folder, dirs, names in os.walk(profile.path, followlinks=False):
        rel_folder = os.path.relpath(folder, profile.path)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                         and not (d == VENDOR and rel_folder == "."))
        for name in sorted(names):
            full = os.path.join(folder, name)
            if name.startswith(".") or name.endswith(".pyc") or os.path.realpath(full) in exclude:
                continue
            real = os.path.realpath(full)
            if os.path.commonpath([root, real]) != root:
                raise ArchiveError(f"refusing to archive {full}: a link to {real}, outside the profile")
            if not os.path.isfile(real):
                raise ArchiveError(f"refusing to archive {full}: not a regular file")
            files[os.path.relpath(full, profile.path).replace(os.sep, "/")] = real
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                raise ArchiveError(f"refusing to archive {os.path.join(folder, name)}: a link to a folder "
                                   f"(an archive holds regular files; copy it or make it a dependency)")
    for name, dep in profile.dependencies.items():
        prefix = f"{VENDOR}/{vendor_dir_name(name)}/"
        files.update({prefix + rel: full for rel, full in profile_files(dep, exclude).items()})
    return files


def manifest_bytes(profile: "Profile", files: dict[str, str]) -> bytes:
    """The canonical JSON manifest (sorted keys, one trailing newline)."""
    entries = {name: {"sha256": file_sha256(path), "size": os.path.getsize(path)} for name, path in sorted(files.items())}
    data = {"format": FORMAT,
            "profile": {"name": profile.name, "version": profile.metadata.version},
            "files": entries}
    return (json.dumps(data, sort_keys=True, indent=1) + "\n").encode()


def signature_bytes(manifest: bytes, key: "Ed25519PrivateKey") -> bytes:
    """The signature document for *manifest*."""
    from inspecpy.profile.keys import key_id, raw_public

    public = key.public_key()
    data = {"algorithm": "ed25519", "key_id": key_id(public), "signed": MANIFEST,
            "public_key": base64.b64encode(raw_public(public)).decode(),
            "signature": base64.b64encode(key.sign(manifest)).decode()}
    return (json.dumps(data, sort_keys=True, indent=1) + "\n").encode()


def _add(tar: tarfile.TarFile, name: str, data: bytes, executable: bool = False) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 0, 0o755 if executable else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))


def build_archive(profile: "Profile", key: "Ed25519PrivateKey | None" = None,
                  exclude: set[str] | None = None) -> bytes:
    """The archive of *profile* (with its dependencies), signed with *key* when given."""
    files = profile_files(profile, exclude)
    manifest = manifest_bytes(profile, files)
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
            _add(tar, MANIFEST, manifest)
            if key is not None:
                _add(tar, SIGNATURE, signature_bytes(manifest, key))
            for name, path in sorted(files.items()):
                with open(path, "rb") as handle:
                    _add(tar, name, handle.read(), executable=os.access(path, os.X_OK))
    return raw.getvalue()


def default_archive_name(profile: "Profile") -> str:
    """``NAME-VERSION.tar.gz`` (InSpec's default), safe as a file name."""
    version = profile.metadata.version
    stem = profile.name if version is None else f"{profile.name}-{version}"
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem) + ".tar.gz"


# -------------------------------------------------------------- opening


def _load_json(archive: str, folder: str, name: str) -> dict[str, Any]:
    try:
        with open(os.path.join(folder, *name.split("/")), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise SignatureError(f"{archive}: {name} is unreadable ({error})") from None
    if not isinstance(data, dict):
        raise SignatureError(f"{archive}: {name} is not a JSON object")
    return data


def _verify_manifest(archive: str, folder: str, files: list[str]) -> bytes:
    with open(os.path.join(folder, *MANIFEST.split("/")), "rb") as handle:
        manifest = handle.read()
    listed = _load_json(archive, folder, MANIFEST).get("files")
    if not isinstance(listed, dict):
        raise SignatureError(f"{archive}: manifest mismatch: {MANIFEST} lists no files")
    present = {f for f in files if not f.startswith(META_DIR + "/")}
    for name in sorted(present - set(listed)):
        raise SignatureError(f"{archive}: manifest mismatch: {name} is not in the manifest")
    for name in sorted(set(listed) - present):
        raise SignatureError(f"{archive}: manifest mismatch: {name} is in the manifest but not in the archive")
    for name in sorted(present):
        expected = listed[name].get("sha256") if isinstance(listed[name], dict) else None
        if file_sha256(os.path.join(folder, *name.split("/"))) != expected:
            raise SignatureError(f"{archive}: manifest mismatch: {name} has changed since the archive was made")
    return manifest


def _verify_signature(archive: str, folder: str, manifest: bytes, trust: Trust) -> tuple[str, bool]:
    from cryptography.exceptions import InvalidSignature

    from inspecpy.profile.keys import key_id, public_from_raw

    data = _load_json(archive, folder, SIGNATURE)
    if data.get("algorithm") != "ed25519":
        raise SignatureError(f"{archive}: unsupported signature algorithm {data.get('algorithm')!r}")
    try:
        public = public_from_raw(base64.b64decode(data["public_key"], validate=True))
        signature = base64.b64decode(data["signature"], validate=True)
    except (KeyError, ValueError, TypeError) as error:
        raise SignatureError(f"{archive}: malformed signature ({error})") from None
    ident = key_id(public)
    try:
        public.verify(signature, manifest)
    except InvalidSignature:
        raise SignatureError(f"{archive}: bad signature: the manifest was not signed by key {ident}") from None
    trusted = ident in trust.keys
    if trust.keys and not trusted:
        raise SignatureError(f"{archive}: signed by key {ident}, which is not a trusted key "
                             f"(trusted: {', '.join(sorted(trust.keys))})")
    return ident, trusted


def verify_extracted(archive: str, folder: str, files: list[str], trust: Trust) -> Verification:
    """Check the extracted *files* of *archive* against its manifest and signature."""
    names = set(files)
    if MANIFEST not in names:
        if SIGNATURE in names:
            raise SignatureError(f"{archive}: has a signature but no manifest")
        if trust.require_signed:
            raise SignatureError(f"{archive}: not signed (and --require-signed is set)")
        return Verification(archive)
    manifest = _verify_manifest(archive, folder, files)
    if SIGNATURE not in names:
        if trust.require_signed:
            raise SignatureError(f"{archive}: not signed (and --require-signed is set)")
        return Verification(archive, manifest=True)
    ident, trusted = _verify_signature(archive, folder, manifest, trust)
    return Verification(archive, manifest=True, signed=True, key_id=ident, trusted=trusted)


def open_archive(path: str, trust: Trust | None = None) -> tuple[str, Verification]:
    """Verify and extract *path* into a temporary folder; return the profile folder.

    The folder lives as long as the returned Verification (the loaded
    profile keeps it): it is removed when that is collected, or at exit.
    """
    trust = trust or Trust()
    if trust.require_signed and not trust.keys:
        raise UsageError("--require-signed needs a trusted key: pass --trusted-key KEY.pub "
                         "or put it in ~/.inspecpy/keys (INSPECPY_KEYS_DIR)")
    workdir = tempfile.TemporaryDirectory(prefix="inspecpy-profile-")
    folder = workdir.name
    files = safe_extract(path, folder)
    verification = dataclasses.replace(verify_extracted(path, folder, files, trust), workdir=workdir)
    root = folder
    if not os.path.isfile(os.path.join(folder, "inspec.yml")):  # an archive with one top folder
        entries = [e for e in os.listdir(folder) if e != META_DIR]
        if len(entries) == 1 and os.path.isfile(os.path.join(folder, entries[0], "inspec.yml")):
            root = os.path.join(folder, entries[0])
        else:
            raise ProfileError(f"{path}: no inspec.yml in the archive")
    return root, verification
