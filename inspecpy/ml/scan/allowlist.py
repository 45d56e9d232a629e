"""Which pickle globals are known to rebuild plain data.

A pickle can call any importable function while it loads, so a static
scanner must decide, for every ``module.name`` a pickle refers to, whether
it is known to only rebuild data.  This module holds that decision: an
explicit allowlist (exact names plus a few narrow patterns such as
"CamelCase classes in scikit-learn modules"), never a denylist.  Whatever
is not listed here is reported as an unsafe global.

Example::

    >>> from inspecpy.ml.scan.allowlist import is_allowed, normalize
    >>> is_allowed("collections.OrderedDict"), is_allowed("os.system")
    (True, False)
    >>> normalize("__builtin__", "set", protocol=2)
    'builtins.set'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Names that only rebuild data, in Python's standard library.
_STDLIB = {
    "builtins.set", "builtins.frozenset", "builtins.complex", "builtins.bytearray",
    "builtins.bytes", "builtins.slice", "builtins.range", "builtins.object",
    "builtins.list", "builtins.dict", "builtins.tuple", "builtins.int",
    "builtins.float", "builtins.str", "builtins.bool", "builtins.Ellipsis",
    "builtins.NotImplemented",
    "collections.OrderedDict", "collections.Counter", "collections.defaultdict",
    "collections.deque",
    "copyreg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__",
    "_codecs.encode",
    "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta",
    "datetime.timezone", "decimal.Decimal", "fractions.Fraction", "uuid.UUID",
    "pathlib.PosixPath", "pathlib.PurePosixPath", "pathlib.WindowsPath",
    "pathlib.PureWindowsPath",
    # joblib's inline-array placeholder (the scanner skips the array bytes after it)
    "joblib.numpy_pickle.NumpyArrayWrapper",
    "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
}

# numpy: array/scalar/dtype reconstruction and random generator state.
_NUMPY = set()
for _core in ("numpy.core", "numpy._core"):
    _NUMPY |= {
        f"{_core}.multiarray._reconstruct", f"{_core}.multiarray.scalar",
        f"{_core}.numeric._frombuffer", f"{_core}.multiarray.ndarray",
    }
_NUMPY |= {
    "numpy.ndarray", "numpy.dtype", "numpy.ma.core._mareconstruct",
    "numpy.ma.core.MaskedArray", "numpy.random._pickle.__randomstate_ctor",
    "numpy.random._pickle.__bit_generator_ctor", "numpy.random._pickle.__generator_ctor",
    "numpy.random.__RandomState_ctor", "numpy.random.mtrand.RandomState",
    "numpy.random._generator.Generator", "numpy.random._mt19937.MT19937",
    "numpy.random._pcg64.PCG64", "numpy.random._pcg64.PCG64DXSM",
    "numpy.random._philox.Philox", "numpy.random._sfc64.SFC64",
    "numpy.random.bit_generator.SeedSequence",
    "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
}

# PyTorch: what torch.load(weights_only=True) accepts, by name.
_TORCH_STORAGE = ("Double", "Float", "Half", "BFloat16", "Long", "Int", "Short", "Char",
                  "Byte", "Bool", "ComplexDouble", "ComplexFloat", "QUInt8", "QInt8",
                  "QInt32", "QUInt4x2", "QUInt2x4")
_TORCH = {f"torch.{t}Storage" for t in _TORCH_STORAGE}
_TORCH |= {f"torch.{t}Tensor" for t in _TORCH_STORAGE[:10]}
_TORCH |= {f"torch.cuda.{t}Tensor" for t in _TORCH_STORAGE[:10]}
_TORCH |= {f"torch._utils._rebuild_{f}" for f in (
    "parameter", "parameter_with_state", "qtensor", "tensor", "tensor_v2", "tensor_v3",
    "sparse_tensor", "meta_tensor_no_storage", "wrapper_subclass",
    "device_tensor_from_numpy", "device_tensor_from_cpu_tensor")}
_TORCH |= {
    "torch.storage.TypedStorage", "torch.storage.UntypedStorage", "torch.UntypedStorage",
    "torch._tensor._rebuild_from_type_v2", "torch.serialization._get_layout",
    "torch.nn.parameter.Parameter", "torch.Size", "torch.Tensor", "torch.device",
    "torch.per_tensor_affine", "torch.per_tensor_symmetric", "torch.per_channel_affine",
    "torch.per_channel_symmetric", "torch.per_channel_affine_float_qparams",
}
_TORCH_DTYPE = re.compile(
    r"torch\.(u?int\d+|float\d+(_e\d+m\d+\w*)?|bfloat16|complex\d+|c?float|c?double"
    r"|half|long|short|bool|q(u)?int\d+(x\d+)?|bits\w+)$")

# Classes of these packages are constructed and given their __dict__ back;
# their constructors only store parameters.  Sub-packages that hold tests,
# vendored code or dataset downloaders are excluded.
_CLASS_PACKAGES = ("sklearn.", "torch.nn.modules.", "scipy.sparse.")
_EXCLUDED_SEGMENTS = {"_testing", "tests", "externals", "datasets", "_joblib"}
_CLASS_NAME = re.compile(r"(?:[A-Z]\w*|__pyx_unpickle_[A-Z]\w*|[a-z]{3}_(?:matrix|array))$")

# Globals that are safe only when called with checked literal arguments;
# the scanner checks the call (see pickle_scan).
CONDITIONAL = {"numpy.core._ufunc_reconstruct", "numpy._core._ufunc_reconstruct"}

EXACT = frozenset(_STDLIB | _NUMPY | _TORCH)


@lru_cache(maxsize=1)
def numpy_ufuncs() -> frozenset[str]:
    """Names ``numpy.<ufunc>`` of numpy's universal functions (pure math)."""
    import numpy as np

    return frozenset(f"numpy.{n}" for n in dir(np) if isinstance(getattr(np, n, None), np.ufunc))


def normalize(module: str, name: str, protocol: int = 4) -> str:
    """``module.name`` as Python 3 would import it (pickle's fix_imports for protocol < 3)."""
    if protocol < 3:
        import _compat_pickle

        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
    return f"{module}.{name}"


def is_allowed(qualname: str, extra: Iterable[str] = ()) -> bool:
    """True when ``qualname`` (``module.name``) is known to only rebuild data.

    ``extra`` adds names the user trusts: an exact ``module.name``, or a
    prefix ending in ``.`` (``"mypkg.models."``) for a whole package.
    """
    if qualname in EXACT or _TORCH_DTYPE.match(qualname) or qualname in numpy_ufuncs():
        return True
    for item in extra:
        if qualname == item or (item.endswith(".") and qualname.startswith(item)):
            return True
    module, _, name = qualname.rpartition(".")
    if module.startswith(_CLASS_PACKAGES) and _CLASS_NAME.match(name):
        return not _EXCLUDED_SEGMENTS.intersection(module.split("."))
    return False
