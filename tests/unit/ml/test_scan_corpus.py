"""The scanner on the adversarial corpus built from public advisories (generated, see scan_corpus/).

Every malicious file is refused, every benign file accepted, no file makes
the scanner raise, and no payload ever ran (a canary file proves it: each
payload would create it).
"""

from __future__ import annotations

import pytest

from inspecpy.ml.scan.scanner import scan_path
from tests.unit.ml.scan_corpus.corpus import build

import onnx  # noqa: F401 - a test extra: missing is an error, not a skip
import joblib  # noqa: F401 - a test extra: missing is an error, not a skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    canary = root / "CANARY"
    samples = build(root / "files", canary)
    reports = {s.name: scan_path(s.path) for s in samples}  # a raise here fails every test
    return samples, reports, canary


def test_the_corpus_is_the_size_the_note_reports(corpus):
    samples, _, _ = corpus
    assert len([s for s in samples if s.malicious]) >= 50
    assert len([s for s in samples if not s.malicious]) >= 20


def test_every_malicious_file_is_refused_with_a_reason(corpus):
    samples, reports, _ = corpus
    accepted = [s.name for s in samples if s.malicious and reports[s.name].safe]
    assert accepted == []
    for s in samples:
        if s.malicious:
            assert reports[s.name].reason, s.name


def test_every_benign_file_is_accepted(corpus):
    samples, reports, _ = corpus
    refused = {s.name: reports[s.name].reason for s in samples if not s.malicious and not reports[s.name].safe}
    assert refused == {}


def test_no_payload_ran_while_scanning(corpus):
    _, _, canary = corpus
    assert not canary.exists()


@pytest.mark.parametrize("name, expected", [
    ("dotted_f2py.pkl", "sklearn.linear_model._base:np.f2py.subprocess.Popen"),
    ("dotted_builtins.pkl", "builtins:print.__class__.__base__.__subclasses__"),
    ("build_slotstate.pkl", "numpy:prod.a"),
    ("pkgutil_resolve.pkl", "pkgutil.resolve_name"),
    ("gensim.model", "posix.system"),
    ("torch_module_wrapper.keras", "TorchModuleWrapper: posix.system"),
    ("unsafe_deserialization.keras", "keras function keras.config.enable_unsafe_deserialization"),
    ("savedmodel_readfile/", "tensorflow op ReadFile"),
])
def test_what_is_found_is_named(corpus, name, expected):
    _, reports, _ = corpus
    assert expected in reports[name].unsafe_globals


@pytest.mark.parametrize("name, message", [
    ("torch_zip_bad_crc.pt", "Bad CRC-32 for file 'archive/data.pkl'"),
    ("keras_with_data_pkl.keras", "keras.layers.Lambda"),
    ("tfsm_layer.keras", "TFSMLayer loads a SavedModel from '/tmp/evil_savedmodel'"),
    ("string_lookup.keras", "StringLookup reads its vocabulary from the file '/etc/passwd'"),
    ("chat_template_ssti.gguf", "tokenizer.chat_template reads attribute '__globals__' (Jinja template injection)"),
    ("onnx_traversal_subgraph/", "external data path '../../etc/passwd' leaves the model folder"),
    ("onnx_symlink/", "weights.bin: symlink to /etc/passwd outside the model folder"),
    ("folder_unknown_blob/", "blob.dat: unrecognised format: not checked"),
    ("torchscript.pt", "code inside the archive (TorchScript/Python) is not analysed"),
])
def test_refusals_say_why(corpus, name, message):
    _, reports, _ = corpus
    assert message in reports[name].reason
