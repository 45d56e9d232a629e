"""What an ML pipeline step does to a model: publish it, scan it, sign it; and secret clean-up.

Recognised by the action a step uses or the commands of its script (lists
below; extend them through the profile's inputs where a team uses other
tools). A step that publishes a model (uploads an artifact holding model
files, ``huggingface-cli upload``, ``dvc push``, ``mlflow … log_model``,
``aws s3 cp model.pkl …``) must come after a scan (``inspecpy exec``,
``modelscan``, ``picklescan``, ``fickling``) and a signature
(``model_signing sign``, ``cosign sign-blob``, ``sigstore sign``,
``gpg --detach-sign``, ``actions/attest-build-provenance``) in the same job.

>>> publishes_model({"uses": "actions/upload-artifact@v4", "with": {"path": "models/model.pkl"}})
True
>>> signs({"run": "model_signing sign key model.pkl --signature model.sig"}), scans({"run": "ls"})
(True, False)
"""

from __future__ import annotations

import re

MODEL_PATH = re.compile(
    r"\.(?:pkl|pickle|joblib|pt|pth|onnx|h5|hdf5|keras|safetensors|gguf|ggml|npz|pb|tflite|mlmodel|ckpt)\b"
    r"|(?:^|[\s/'\"=])models?(?:/|\b)", re.I)
PUBLISH_COMMANDS = re.compile(
    r"\b(?:huggingface-cli|hf)\s+upload\b|\bdvc\s+push\b|\bmlflow\b.*\b(?:log_model|register_model)\b"
    r"|\bmlflow\s+models\b|\boras\s+push\b|\b(?:aws\s+s3|gsutil|gcloud\s+storage)\s+(?:cp|sync|mv)\b.*$"
    r"|\baz\s+storage\s+blob\s+upload\b|\bpush_to_hub\b|\bupload_(?:file|folder)\b")
PUBLISH_ACTIONS = re.compile(r"^(?:actions/upload-artifact|huggingface/.*upload|iterative/.*publish)", re.I)
SCAN_COMMANDS = re.compile(r"\binspecpy\s+exec\b|\bmodelscan\b|\bpicklescan\b|\bfickling\b|\bmodelaudit\b")
SCAN_ACTIONS = re.compile(r"^(?:protectai/modelscan|.*/inspecpy)", re.I)
SIGN_COMMANDS = re.compile(
    r"\bmodel[_-]signing\b.*\bsign\b|\bcosign\s+(?:sign|sign-blob|attest)\b|\bsigstore\s+sign\b"
    r"|\bgpg\b.*(?:--detach-sign|--clearsign|--sign|\s-[a-zA-Z]*s)\b|\bopenssl\s+dgst\b.*-sign\b"
    r"|\bnotation\s+sign\b|\binspecpy\s+archive\b.*--sign\b")
SIGN_ACTIONS = re.compile(
    r"^(?:actions/attest(?:-build-provenance)?|sigstore/gh-action-sigstore-python"
    r"|slsa-framework/slsa-github-generator)(?:/|@|$)", re.I)


def _action(step: dict) -> str:
    return str(step.get("uses") or "")


def _text(step: dict) -> str:
    return str(step.get("run") or "")


def publishes_model(step: dict) -> bool:
    """True when the step uploads or pushes model files somewhere others fetch them."""
    uses = _action(step)
    if PUBLISH_ACTIONS.match(uses):
        with_ = given if isinstance(given := step.get("with"), dict) else {}
        if uses.lower().startswith("actions/upload-artifact"):
            return bool(MODEL_PATH.search(str(with_.get("path", ""))) or MODEL_PATH.search(str(with_.get("name", ""))))
        return True
    text = _text(step)
    if not text or not PUBLISH_COMMANDS.search(text):
        return False
    for line in text.splitlines():
        command = PUBLISH_COMMANDS.search(line)
        if command and (not re.search(r"\b(?:aws\s+s3|gsutil|gcloud\s+storage|az\s+storage)\b", line)
                        or MODEL_PATH.search(line)):
            return True
    return False


def scans(step: dict) -> bool:
    """True when the step scans model files (inspecpy, modelscan, picklescan, fickling)."""
    return bool(SCAN_ACTIONS.match(_action(step)) or SCAN_COMMANDS.search(_text(step)))


def signs(step: dict) -> bool:
    """True when the step signs an artifact or attests its provenance."""
    return bool(SIGN_ACTIONS.match(_action(step)) or SIGN_COMMANDS.search(_text(step)))


# Steps that leave credentials on the runner, and what removes them.
_PULLS = (
    (re.compile(r"\bdvc\s+remote\s+modify\s+--local\b|\bdvc\s+(?:pull|fetch|push)\b"), "dvc credentials",
     re.compile(r"\brm\b.*\.dvc/(?:config\.local|tmp)|\bdvc\s+remote\s+modify\s+--local\s+--unset\b")),
    (re.compile(r"\bdocker\s+login\b"), "docker login", re.compile(r"\bdocker\s+logout\b")),
    (re.compile(r"\baws\s+configure\s+set\b"), "aws credentials", re.compile(r"\brm\b.*\.aws\b")),
    (re.compile(r"\bgcloud\s+auth\s+activate-service-account\b"), "gcloud credentials",
     re.compile(r"\bgcloud\s+auth\s+revoke\b")),
)
_REMOVE = re.compile(r"\b(?:rm|shred|unlink|srm)\b([^;&|]*)")


def pulled_credentials(step: dict, secret_files: list[str], has_secrets: bool) -> list[str]:
    """What credentials this step leaves on the runner (files holding secrets, logins)."""
    found = [f"file {name}" for name in secret_files]
    if has_secrets:
        text = _text(step)
        env_names = " ".join(str(k) for k in (step.get("env") or {})).upper() if isinstance(step.get("env"), dict) else ""
        found += [what for pattern, what, _ in _PULLS if pattern.search(text) and
                  (what != "dvc credentials" or "remote modify --local" in text
                   or "GDRIVE" in env_names or "CREDENTIAL" in env_names)]
    return found


def cleans(step: dict, what: str) -> bool:
    """True when *step* removes the credentials named *what* (as :func:`pulled_credentials` names them)."""
    text = _text(step)
    if what.startswith("file "):
        name = what[5:].strip("'\"")
        base = name.rsplit("/", 1)[-1]
        return any(base in m.group(1) or name in m.group(1) or m.group(1).strip() in (".", "*")
                   for m in _REMOVE.finditer(text))
    return any(cleanup.search(text) for _, label, cleanup in _PULLS if label == what)
