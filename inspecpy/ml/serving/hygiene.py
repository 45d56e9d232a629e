"""Error hygiene: how an endpoint answers malformed requests.

A fixed set of malformed requests (wrong shape, wrong datatype, a body
that is not JSON, a huge body, an unknown model, NaN and infinity) must
each get a 4xx, never a 5xx nor a success, and no answer may show a stack
trace, a file path or a library version: those tell an attacker what runs
and where it breaks (OWASP ML01; AISVS 2.4.4).

``leaks`` and ``judge`` are pure functions of an answer::

    >>> leaks('Traceback (most recent call last):\\n  File "/srv/app/main.py", line 3', {})
    ['a Python traceback', 'a file path (/srv/app/main.py)']
    >>> judge(500, "oops", {})
    ['HTTP 500: a server error (a malformed request must get a 4xx)']
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, Mapping

HUGE_BYTES = 16 << 20

_TRACES = (
    (re.compile(r"Traceback \(most recent call last\)"), "a Python traceback"),
    (re.compile(r'File "[^"\n]+", line \d+'), "a Python stack frame"),
    (re.compile(r"\bat [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)"), "a JVM stack frame"),
    (re.compile(r"\bgoroutine \d+ \["), "a Go stack trace"),
    (re.compile(r"\bat \S+ \((?:[^()\n]+)\.[cm]?[jt]s:\d+:\d+\)"), "a JavaScript stack frame"),
    (re.compile(r"\bat [\w.<>`]+\(.*\) in .+:line \d+"), "a .NET stack frame"),
)
_PATH = re.compile(
    r"(?<![\w/.:])(?:/(?:usr|home|opt|srv|var|root|tmp|app|workspace|mnt|etc|lib|lib64|proc|code|src|data)"
    r"(?:/[\w.@+-]+)+|(?:/[\w.@+-]+)+\.(?:py|pyc|java|go|rb|js|ts|cc|cpp|c|h|so|jar)\b"
    r"|[\w.-]+[/\\](?:site|dist)-packages\b[\w.@+/\\-]*|\b[A-Za-z]:\\(?:[\w .-]+\\)+[\w .-]*)")
_VERSION = re.compile(
    r"\b(?:c?python|uvicorn|gunicorn|hypercorn|werkzeug|flask|fastapi|starlette|tornado|aiohttp|nginx|"
    r"apache|httpd|envoy|openresty|jetty|tomcat|express|node(?:\.js)?|php|mlserver|kserve|triton|torchserve|"
    r"tensorflow|torch|scikit-learn|sklearn|numpy|pandas|onnxruntime|xgboost|lightgbm)"
    r"[/ ]v?\d+\.\d+(?:\.\d+)?|\b[A-Za-z][\w.-]*/\d+\.\d+\.\d+\b", re.IGNORECASE)
_VERSION_IN_HEADER = re.compile(r"\d+\.\d+")


def leaks(text: str, headers: Mapping[str, str]) -> list[str]:
    """What an answer gives away: stack traces, file paths, library versions (each once)."""
    found = [what for pattern, what in _TRACES if pattern.search(text)]
    if found:  # one mention per kind of trace is enough
        found = found[:1] if found[0] == "a Python traceback" else found
    path = _PATH.search(text)
    if path:
        found.append(f"a file path ({path.group(0)[:60]})")
    version = _VERSION.search(text)
    if version:
        found.append(f"a version ({version.group(0)})")
    for name in ("server", "x-powered-by"):
        value = headers.get(name, "")
        if _VERSION_IN_HEADER.search(value):
            found.append(f"a version in the {name.title()} header ({value[:40]})")
    return found


def judge(status: int | None, text: str, headers: Mapping[str, str], error: str | None = None) -> list[str]:
    """The rules an answer to a malformed request breaks (empty when it is a clean 4xx)."""
    if status is None:
        return [f"no answer ({error}); a malformed request must get a 4xx"]
    broken = []
    if status >= 500:
        broken.append(f"HTTP {status}: a server error (a malformed request must get a 4xx)")
    elif status < 400:
        broken.append(f"HTTP {status}: accepted (a malformed request must get a 4xx)")
    broken += [f"the answer shows {what}" for what in leaks(text, headers)]
    return broken


def malformed_requests(protocol: Any, model: str, features: int | None, input_name: str = "input-0",
                       datatype: str = "FP64", huge_bytes: int = HUGE_BYTES) -> list[tuple[str, str, bytes]]:
    """``(probe name, path, body)`` for each malformed request, POSTed to the predict path.

    ``features`` is the model's input width when known (from its metadata or
    the pinned model); the wrong shape is one more than that (3 when unknown).
    """
    import numpy as np

    width = features or 1
    wrong = (features + 1) if features else 3
    bad_numbers = [float("nan")] + [float("inf")] * max(width - 1, 1)

    def body(rows: list[list[Any]], dtype: str = datatype) -> bytes:
        return protocol.encode(np.array(rows), input_name, dtype)

    infer = protocol.infer(model)
    return [
        ("wrong shape", infer, body([[0.0] * wrong])),
        ("wrong datatype", infer, body([["x"] * width], "BYTES")),
        ("non-JSON body", infer, b"{this is not JSON"),
        ("huge body", infer, huge_body(protocol, input_name, width, datatype, huge_bytes)),
        ("unknown model", protocol.infer(f"no-such-model-{uuid.uuid4().hex[:8]}"), body([[0.0] * width])),
        ("NaN and infinity", infer, body([bad_numbers])),
    ]


def huge_body(protocol: Any, input_name: str, width: int, datatype: str, size: int) -> bytes:
    """A well-formed request of about ``size`` bytes (rows of 0.5): it must be refused (413)."""
    rows = max(1, size // (4 * width))
    values = ",".join(["0.5"] * width)
    if protocol.name == "v1":
        row = f"[{values}]"
        return ('{"instances": [' + ",".join([row] * rows) + "]}").encode()
    data = ",".join([values] * rows)
    return (f'{{"inputs": [{{"name": {json.dumps(input_name)}, "shape": [{rows}, {width}], '
            f'"datatype": {json.dumps(datatype)}, "data": [{data}]}}]}}').encode()
