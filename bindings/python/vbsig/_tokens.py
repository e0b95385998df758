"""What PKCS#11 modules hold: their slots and tokens, and the certificates
and keys on them (the bridge's listings, as `vbsig token list` and
`vbsig token certs` show them)."""
import ctypes
from typing import List, NamedTuple, Optional

from ._errors import check
from ._handle import fspath
from ._lib import STRUCTS, pkcs11


def _text(p) -> Optional[str]:
    return ctypes.string_at(p).decode("utf-8") if p else None


class TokenInfo(NamedTuple):
    """A slot, and its token when one is present (label … serial are then set)."""
    slot_id: int
    slot_description: Optional[str]
    present: bool
    label: Optional[str]
    manufacturer: Optional[str]
    model: Optional[str]
    serial: Optional[str]
    login_required: bool
    pin_pad: bool
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool
    initialized: bool
    uri: Optional[str]


class TokenObject(NamedTuple):
    """A certificate ("cert") or key ("private", "public") on a token."""
    token_label: Optional[str]
    kind: str
    label: Optional[str]
    id_hex: str
    subject: Optional[str]
    key_type: Optional[str]
    uri: str


def _module(module):
    return fspath(module, "module") if module is not None else None


def list_tokens(module=None, ctx=None) -> List[TokenInfo]:
    """Every slot of the PKCS#11 module (None: the context's, else p11-kit's
    proxy), with its token's state (PIN locked, final try …)."""
    p11 = pkcs11()
    raw = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(p11.vbsig_pkcs11_list_tokens(ctx._get() if ctx is not None else None, _module(module),
                                       ctypes.byref(raw), ctypes.byref(n)))
    out = ctypes.cast(raw, ctypes.POINTER(STRUCTS["vbsig_pkcs11_token"]))
    try:
        return [TokenInfo(t.slot_id, _text(t.slot_description), bool(t.token_present), _text(t.label),
                          _text(t.manufacturer), _text(t.model), _text(t.serial), bool(t.login_required),
                          bool(t.pin_pad), bool(t.pin_count_low), bool(t.pin_final_try), bool(t.pin_locked),
                          bool(t.initialized), _text(t.uri))
                for t in (out[i] for i in range(n.value))]
    finally:
        p11.vbsig_pkcs11_tokens_free(out, n.value)


def list_token_objects(module=None, uri: Optional[str] = None, ctx=None) -> List[TokenObject]:
    """The certificates and public keys on every present token matching uri
    (None: all). No login: private keys show only where the token lets
    them be seen without one."""
    if uri is not None and not isinstance(uri, str):
        raise TypeError("uri must be str")
    p11 = pkcs11()
    raw = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(p11.vbsig_pkcs11_list_objects(ctx._get() if ctx is not None else None, _module(module),
                                        uri.encode("utf-8") if uri is not None else None, None,
                                        ctypes.byref(raw), ctypes.byref(n)))
    out = ctypes.cast(raw, ctypes.POINTER(STRUCTS["vbsig_pkcs11_object"]))
    try:
        return [TokenObject(_text(o.token_label), _text(o.kind), _text(o.label), _text(o.id_hex) or "",
                            _text(o.subject), _text(o.key_type), _text(o.uri))
                for o in (out[i] for i in range(n.value))]
    finally:
        p11.vbsig_pkcs11_objects_free(out, n.value)
