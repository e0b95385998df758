"""Signers: a PKCS#12 file, a key file, a PKCS#11 token, or a certificate
alone (two-step signing)."""
import ctypes
from typing import Optional, Union

from ._errors import check
from ._handle import Handle, fspath, wipe
from ._lib import STRUCTS, CALLBACKS, lib, pkcs11

Secret = Union[bytes, bytearray]


def _pass_source(secret):
    """A "pass:…" source in a C buffer that can be zeroed after the call."""
    if secret is None:
        return None
    if not isinstance(secret, (bytes, bytearray)):
        raise TypeError("passwords and PINs are bytes or bytearray, not %s" % type(secret).__name__)
    if b"\0" in secret:
        raise ValueError("a password may not contain a NUL byte")
    return ctypes.create_string_buffer(b"pass:" + bytes(secret))


def _zero(buf):
    if buf is not None:
        ctypes.memset(buf, 0, len(buf))


class Signer(Handle):
    """Something that signs digests. Build with the from_* class methods."""

    def __init__(self, _ptr=None, _keep=None):
        if _ptr is None:
            raise TypeError("use Signer.from_pkcs12, from_key_file, from_pkcs11 or from_certificate")
        self._own(_ptr, lib.vbsig_signer_free)
        self._keep = _keep

    @classmethod
    def _make(cls, fn, *args, keep=None):
        out = ctypes.c_void_p()
        check(fn(ctypes.byref(out), *args))
        return cls(out.value, keep)

    @classmethod
    def from_pkcs12(cls, path, password: Optional[Secret] = None) -> "Signer":
        src = _pass_source(password)
        try:
            return cls._make(lib.vbsig_signer_from_pkcs12, fspath(path), src)
        finally:
            _zero(src)
            wipe(password)

    @classmethod
    def from_key_file(cls, key_path, cert_path, password: Optional[Secret] = None) -> "Signer":
        src = _pass_source(password if password is not None else b"")
        try:
            return cls._make(lib.vbsig_signer_from_key_file, fspath(key_path, "key_path"), src,
                             fspath(cert_path, "cert_path"))
        finally:
            _zero(src)
            wipe(password)

    @classmethod
    def from_certificate(cls, cert_path) -> "Signer":
        """A certificate without a key, for ctx.prepare (two-step signing)."""
        return cls._make(lib.vbsig_signer_from_cert_file, fspath(cert_path, "cert_path"))

    @classmethod
    def from_pkcs11(cls, uri: str, pin: Optional[Secret] = None, module=None, cert_path=None,
                    timeout_ms: int = 0, ctx=None) -> "Signer":
        """A key on a token named by an RFC 7512 URI. The PIN goes to the
        bridge through its callback (never through a string that lingers)."""
        if not isinstance(uri, str):
            raise TypeError("uri must be str")
        if pin is not None and not isinstance(pin, (bytes, bytearray)):
            raise TypeError("pin must be bytes or bytearray, not %s" % type(pin).__name__)
        p11 = pkcs11()
        opts = STRUCTS["vbsig_pkcs11_opts"]()
        p11.vbsig_pkcs11_opts_init(ctypes.byref(opts))
        mod = fspath(module, "module") if module is not None else None
        cert = fspath(cert_path, "cert_path") if cert_path is not None else None
        opts.module, opts.cert_path, opts.timeout_ms = mod, cert, timeout_ms

        def give_pin(_data, _label, buf, size):
            if pin is None or len(pin) + 1 > size:
                return -21  # VBSIG_E_CANCELLED: nothing to give
            ctypes.memmove(buf, bytes(pin), len(pin))
            ctypes.memset(buf + len(pin), 0, 1)
            return 0

        cb = CALLBACKS["vbsig_pin_cb"](give_pin)
        if pin is not None:
            opts.pin_cb = cb
        else:
            opts.pin_source = None
        try:
            return cls._make(p11.vbsig_signer_from_pkcs11, ctx._get() if ctx is not None else None,
                             uri.encode("utf-8"), ctypes.byref(opts))
        finally:
            wipe(pin)

    @property
    def certificate(self) -> bytes:
        """The signer's certificate, DER."""
        n = ctypes.c_size_t()
        p = lib.vbsig_signer_cert_der(self._get(), ctypes.byref(n))
        return ctypes.string_at(p, n.value)

    @property
    def key_bits(self) -> int:
        return lib.vbsig_signer_key_bits(self._get())

    def add_chain(self, path) -> None:
        check(lib.vbsig_signer_add_chain_file(self._get(), fspath(path)))
