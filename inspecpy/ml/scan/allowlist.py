"""Which pickle globals are known to rebuild plain data: exact names only.

A pickle can call any importable object while it loads, so a static scanner
must decide, for every global a pickle refers to, whether it only rebuilds
data.  The unpickler resolves a global from two strings, ``module`` and
``name``; with protocol 4 and later a dotted ``name`` is walked attribute by
attribute (``find_class("sklearn.base", "np.f2py.subprocess.Popen")`` is
``subprocess.Popen``).  So a global is allowed only when the exact
``(module, name)`` pair is listed here — never by a prefix, a naming
pattern or by what the dotted path "looks like".  Whatever is not listed is
reported as an unsafe global.

Decisions worth knowing (each is data-only):

- ``argparse.Namespace`` (training scripts put their arguments in
  checkpoints): its constructor only sets the keyword arguments as
  attributes.
- numpy scalar types (``numpy.float64`` ...), which estimators keep as
  ``dtype`` parameters, and numpy's universal functions (pure math).
- scikit-learn and ``scipy.sparse`` classes, generated as exact names by
  ``scripts/gen_scan_allowlist.py`` (see :mod:`.allowlist_data`).

Example::

    >>> is_allowed("collections", "OrderedDict"), is_allowed("os", "system")
    (True, False)
    >>> is_allowed("sklearn.linear_model._base", "np.f2py.subprocess.Popen")
    False
    >>> normalize("__builtin__", "set", protocol=2)
    ('builtins', 'set')
"""

from __future__ import annotations

from collections.abc import Iterable

from inspecpy.ml.scan.allowlist_data import NUMPY_UFUNCS_AND_SCALARS, SCIENTIFIC


def _pairs(*qualified: str) -> set[tuple[str, str]]:
    return {tuple(q.rsplit(".", 1)) for q in qualified}  # type: ignore[misc]


# Python's standard library: containers and values.
_STDLIB = _pairs(
    "builtins.set", "builtins.frozenset", "builtins.complex", "builtins.bytearray",
    "builtins.bytes", "builtins.slice", "builtins.range", "builtins.object",
    "builtins.list", "builtins.dict", "builtins.tuple", "builtins.int",
    "builtins.float", "builtins.str", "builtins.bool",
    "collections.OrderedDict", "collections.Counter", "collections.defaultdict",
    "collections.deque",
    "copyreg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__",
    "_codecs.encode",
    "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta",
    "datetime.timezone", "decimal.Decimal", "fractions.Fraction", "uuid.UUID",
    "pathlib.PosixPath", "pathlib.PurePosixPath", "pathlib.WindowsPath",
    "pathlib.PureWindowsPath", "argparse.Namespace",
    # joblib's inline-array placeholder (the scanner follows joblib's reading of the array)
    "joblib.numpy_pickle.NumpyArrayWrapper",
)

# numpy: array/scalar/dtype reconstruction and random generator state.
_NUMPY = set()
for _core in ("numpy.core", "numpy._core"):
    _NUMPY |= _pairs(f"{_core}.multiarray._reconstruct", f"{_core}.multiarray.scalar",
                     f"{_core}.numeric._frombuffer", f"{_core}.multiarray.ndarray")
_NUMPY |= _pairs(
    "numpy.ndarray", "numpy.dtype", "numpy.ma.core._mareconstruct",
    "numpy.ma.core.MaskedArray", "numpy.random._pickle.__randomstate_ctor",
    "numpy.random._pickle.__bit_generator_ctor", "numpy.random._pickle.__generator_ctor",
    "numpy.random.__RandomState_ctor", "numpy.random.mtrand.RandomState",
    "numpy.random._generator.Generator", "numpy.random._mt19937.MT19937",
    "numpy.random._pcg64.PCG64", "numpy.random._pcg64.PCG64DXSM",
    "numpy.random._philox.Philox", "numpy.random._sfc64.SFC64",
    "numpy.random.bit_generator.SeedSequence",
    "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
    "numpy.dtypes.Float64DType", "numpy.dtypes.Float32DType", "numpy.dtypes.Int64DType",
    "numpy.dtypes.Int32DType", "numpy.dtypes.BoolDType", "numpy.dtypes.ObjectDType",
    "numpy.dtypes.StrDType", "numpy.dtypes.BytesDType", "numpy.dtypes.VoidDType",
)

# PyTorch: what torch.load(weights_only=True) accepts, by name.
_TORCH_STORAGE = ("Double", "Float", "Half", "BFloat16", "Long", "Int", "Short", "Char",
                  "Byte", "Bool", "ComplexDouble", "ComplexFloat", "QUInt8", "QInt8",
                  "QInt32", "QUInt4x2", "QUInt2x4")
_TORCH_DTYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
                 "float16", "float32", "float64", "bfloat16", "complex32", "complex64",
                 "complex128", "cfloat", "cdouble", "float", "double", "half", "long", "short",
                 "int", "bool", "quint8", "qint8", "qint32", "quint4x2", "quint2x4",
                 "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
                 "float8_e8m0fnu", "bits8", "bits16", "bits1x8", "bits2x4", "bits4x2")
_TORCH = {("torch", f"{t}Storage") for t in _TORCH_STORAGE}
_TORCH |= {("torch", f"{t}Tensor") for t in _TORCH_STORAGE[:10]}
_TORCH |= {("torch.cuda", f"{t}Tensor") for t in _TORCH_STORAGE[:10]}
_TORCH |= {("torch", d) for d in _TORCH_DTYPES}
_TORCH |= {("torch._utils", f"_rebuild_{f}") for f in (
    "parameter", "parameter_with_state", "qtensor", "tensor", "tensor_v2", "tensor_v3",
    "sparse_tensor", "meta_tensor_no_storage", "wrapper_subclass",
    "device_tensor_from_numpy", "device_tensor_from_cpu_tensor")}
_TORCH |= _pairs(
    "torch.storage.TypedStorage", "torch.storage.UntypedStorage", "torch.UntypedStorage",
    "torch._tensor._rebuild_from_type_v2", "torch.serialization._get_layout",
    "torch.nn.parameter.Parameter", "torch.Size", "torch.Tensor", "torch.device",
    "torch.per_tensor_affine", "torch.per_tensor_symmetric", "torch.per_channel_affine",
    "torch.per_channel_symmetric", "torch.per_channel_affine_float_qparams",
    "torch.strided", "torch.sparse_coo", "torch.sparse_csr",
    # layers of a whole pickled nn.Module (torch.save(model)): containers and math only
    "torch.nn.modules.container.Sequential", "torch.nn.modules.container.ModuleList",
    "torch.nn.modules.container.ModuleDict", "torch.nn.modules.container.ParameterList",
    "torch.nn.modules.container.ParameterDict", "torch.nn.modules.linear.Linear",
    "torch.nn.modules.linear.Identity", "torch.nn.modules.linear.Bilinear",
    "torch.nn.modules.conv.Conv1d", "torch.nn.modules.conv.Conv2d", "torch.nn.modules.conv.Conv3d",
    "torch.nn.modules.conv.ConvTranspose1d", "torch.nn.modules.conv.ConvTranspose2d",
    "torch.nn.modules.activation.ReLU", "torch.nn.modules.activation.GELU",
    "torch.nn.modules.activation.Tanh", "torch.nn.modules.activation.Sigmoid",
    "torch.nn.modules.activation.Softmax", "torch.nn.modules.activation.LogSoftmax",
    "torch.nn.modules.activation.LeakyReLU", "torch.nn.modules.activation.SiLU",
    "torch.nn.modules.activation.MultiheadAttention",
    "torch.nn.modules.batchnorm.BatchNorm1d", "torch.nn.modules.batchnorm.BatchNorm2d",
    "torch.nn.modules.normalization.LayerNorm", "torch.nn.modules.dropout.Dropout",
    "torch.nn.modules.pooling.MaxPool2d", "torch.nn.modules.pooling.AvgPool2d",
    "torch.nn.modules.pooling.AdaptiveAvgPool2d", "torch.nn.modules.flatten.Flatten",
    "torch.nn.modules.sparse.Embedding", "torch.nn.modules.rnn.LSTM", "torch.nn.modules.rnn.GRU",
    "torch.nn.modules.transformer.TransformerEncoder",
    "torch.nn.modules.transformer.TransformerEncoderLayer",
    "torch.nn.modules.linear.NonDynamicallyQuantizableLinear",
)

# Globals that are safe only when called with checked literal arguments;
# the scanner checks the call (see pickle_machine).
CONDITIONAL = frozenset({("numpy.core", "_ufunc_reconstruct"), ("numpy._core", "_ufunc_reconstruct")})

EXACT = frozenset(_STDLIB | _NUMPY | _TORCH | SCIENTIFIC | NUMPY_UFUNCS_AND_SCALARS)


def is_ufunc(module: str, name: str) -> bool:
    """True for ``numpy.<ufunc>`` (what ``_ufunc_reconstruct`` may legitimately return)."""
    return (module, name) in NUMPY_UFUNCS_AND_SCALARS and name[:1].islower()


def display(module: str, name: str) -> str:
    """How a global is shown: ``module.name``; a dotted name keeps the unpickler's split
    (``sklearn.base:np.f2py.subprocess.Popen``)."""
    return f"{module}:{name}" if "." in name else f"{module}.{name}"


def normalize(module: str, name: str, protocol: int = 4) -> tuple[str, str]:
    """``(module, name)`` as Python 3 would import it (pickle's fix_imports for protocol < 3)."""
    if protocol < 3:
        import _compat_pickle

        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
    return module, name


def is_allowed(module: str, name: str, extra: Iterable[str] = ()) -> bool:
    """True when the global ``(module, name)`` is known to only rebuild data.

    ``extra`` adds names the user trusts: an exact ``module.name``, or a
    module prefix ending in ``.`` (``"mypkg.models."``) for the classes
    and functions defined at the top of those modules.  A dotted ``name``
    (an attribute path the unpickler walks) never matches an extra.
    """
    if (module, name) in EXACT:
        return True
    if "." in name:
        return False
    qualified = f"{module}.{name}"
    for item in extra:
        if qualified == item or (item.endswith(".") and qualified.startswith(item)):
            return True
    return False
