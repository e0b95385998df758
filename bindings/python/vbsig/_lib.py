"""Loads libvbsig (and the PKCS#11 bridge on first use) and gives every
function of _decls.py its ctypes argument and result types.

Where the library is found: $VBSIG_LIBDIR, else the build tree this copy
of the package was configured in (_buildpaths.py, written by CMake), else
the system's soname (libvbsig.so.2 through the dynamic loader). Always
by the soname: the bare libvbsig.so link is only in the -dev package.
"""
import ctypes
import os
import re
import threading

from . import _cparse, _decls

_SCALARS = {
    "int": ctypes.c_int, "unsigned": ctypes.c_uint, "long": ctypes.c_long, "size_t": ctypes.c_size_t,
    "unsigned long": ctypes.c_ulong, "double": ctypes.c_double,
    "time_t": ctypes.c_int64, "uint64_t": ctypes.c_uint64, "void": None,
    "const char *": ctypes.c_char_p,
}
# Enums are ints in the C ABI of every platform vbsig builds on.
for _e in list(_decls.ENUMS) + ["vbsig_digest_alg", "vbsig_rsa_padding", "vbsig_xml_c14n", "vbsig_xml_mode"]:
    _SCALARS[_e] = ctypes.c_int

STRUCTS = {}
CALLBACKS = {}


def ctype(t):
    """A canonical C type (from _cparse) -> the ctypes type."""
    if isinstance(t, tuple):
        return ctypes.c_void_p
    array = re.match(r"^(.*) \[ (\d+) \]$", t)
    if array:  # a struct field such as double rect_mm[4]
        return ctype(array.group(1)) * int(array.group(2))
    if t in _SCALARS:
        return _SCALARS[t]
    if t in CALLBACKS:
        return CALLBACKS[t]
    if t in STRUCTS:
        return STRUCTS[t]
    base = t.replace("const ", "")
    if base in STRUCTS:
        return STRUCTS[base]
    if t.endswith("*"):
        inner = t[:-1].strip()
        inner_base = inner.replace("const ", "").strip()
        if inner_base in STRUCTS:
            return ctypes.POINTER(STRUCTS[inner_base])
        if inner_base.endswith("*"):
            return ctypes.POINTER(ctypes.c_void_p) if "char" not in inner_base else ctypes.POINTER(ctypes.c_char_p)
        if inner_base in ("size_t",):
            return ctypes.POINTER(ctypes.c_size_t)
        if inner_base in _SCALARS and _SCALARS[inner_base] is ctypes.c_int:
            return ctypes.POINTER(ctypes.c_int)
        return ctypes.c_void_p  # opaque handles, bytes, char * the caller frees
    raise TypeError("no ctypes type for C type %r" % t)


for _name, (_ret, _params) in _cparse.callbacks(_decls.CALLBACKS).items():
    CALLBACKS[_name] = ctypes.CFUNCTYPE(ctype(_ret), *[ctype(p) for p in _params])

for _tag, _fields in _cparse.structs(_decls.STRUCTS).items():
    STRUCTS[_tag] = type(_tag, (ctypes.Structure,), {})
    STRUCTS[_tag]._fields_ = [(n, ctype(t)) for n, t in _fields]


def _candidates(stem, soname):
    env = os.environ.get("VBSIG_LIBDIR")
    if env:
        yield os.path.join(env, stem)
    try:
        from . import _buildpaths
        yield os.path.join(_buildpaths.LIBDIR, stem)
    except ImportError:
        pass
    yield soname


def _open(stem, soname):
    errors = []
    for path in _candidates(stem, soname):
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
    raise OSError("vbsig: cannot load %s (%s); set VBSIG_LIBDIR" % (soname, "; ".join(errors) or "not found"))


class _Lib:
    """The functions, bound and typed. Attribute access: lib.vbsig_ctx_new."""

    def __init__(self, dll, decls):
        for name, (ret, params) in _cparse.functions(decls).items():
            f = getattr(dll, name)
            f.restype = ctype(ret)
            f.argtypes = [ctype(p) for p in params]
            setattr(self, name, f)


lib = _Lib(_open("libvbsig.so.2", "libvbsig.so.2"), _decls.FUNCTIONS)
_p11 = None
_p11_lock = threading.Lock()


def pkcs11():
    """The PKCS#11 bridge, loaded on first use (like the library loads libp11)."""
    global _p11
    with _p11_lock:
        if _p11 is None:
            _p11 = _Lib(_open("libvbsig_pkcs11.so.1", "libvbsig_pkcs11.so.1"), _decls.PKCS11_FUNCTIONS)
        return _p11
