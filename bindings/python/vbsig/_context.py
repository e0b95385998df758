"""The context: trust, policy; and every operation (sign, verify, batch,
two-step). One Context per thread (the C context is used by one thread at
a time); distinct contexts in distinct threads are fine."""
import ctypes
from typing import Callable, Iterator, List, Optional, Sequence

from . import _lang
from ._errors import check, error_for
from ._handle import Handle, as_bytes, fspath
from ._lib import CALLBACKS, STRUCTS, lib
from ._report import Report, level_number
from ._signer import Signer
from ._appearance import Appearance

_REVOCATION = {"hard": 0, "soft": 1, "off": 2}
_FORMATS = {"auto": 0, "cades": 1, "pades": 2, "xades": 3}
_FORMAT_NAMES = {v: k for k, v in _FORMATS.items()}


def _signer_ptr(signer):
    if not isinstance(signer, Signer):
        raise TypeError("signer must be a vbsig.Signer, not %s" % type(signer).__name__)
    return signer._get()


class _Opts:
    """Option structs for one call, and everything they point to, kept alive together."""

    def __init__(self, level="B-B", tsa=None, fmt="auto", detached=True, reason=None, location=None,
                 appearance=None):
        if appearance is not None and not isinstance(appearance, Appearance):
            raise TypeError("appearance must be a vbsig.Leader, Seal, Attachment or Copy, not %s"
                            % type(appearance).__name__)
        if fmt not in _FORMATS:
            raise ValueError("format must be one of %s" % ", ".join(_FORMATS))
        self.tsp = None
        if tsa:
            if isinstance(tsa, (str, bytes)):
                tsa = [tsa]
            self.urls = (ctypes.c_char_p * len(tsa))(*[u.encode() if isinstance(u, str) else u for u in tsa])
            self.tsp = STRUCTS["vbsig_tsp_opts"]()
            lib.vbsig_tsp_opts_init(ctypes.byref(self.tsp))
            self.tsp.urls = ctypes.cast(self.urls, ctypes.c_void_p)
            self.tsp.url_count = len(tsa)
        lvl = level_number(level)
        tsp = ctypes.pointer(self.tsp) if self.tsp is not None else None
        self.cades = STRUCTS["vbsig_cades_sign_opts"]()
        lib.vbsig_cades_sign_opts_init(ctypes.byref(self.cades))
        self.cades.detached, self.cades.level, self.cades.tsp = int(bool(detached)), lvl, tsp
        self.pades = STRUCTS["vbsig_pades_sign_opts"]()
        lib.vbsig_pades_sign_opts_init(ctypes.byref(self.pades))
        self.pades.level, self.pades.tsp = lvl, tsp
        self._texts = [t.encode("utf-8") if t is not None else None for t in (reason, location)]
        self.pades.reason, self.pades.location = self._texts
        self.appearance = None
        if appearance is not None:
            self.appearance, self._appearance_strings = appearance._struct()
            self.pades.appearance = ctypes.pointer(self.appearance)
        self.xml = STRUCTS["vbsig_xml_sign_opts"]()
        lib.vbsig_xml_sign_opts_init(ctypes.byref(self.xml))
        self.xml.level, self.xml.tsp = lvl, tsp
        self.sign = STRUCTS["vbsig_sign_opts"]()
        lib.vbsig_sign_opts_init(ctypes.byref(self.sign))
        self.sign.format, self.sign.level, self.sign.tsp = _FORMATS[fmt], lvl, tsp
        self.sign.cades = ctypes.pointer(self.cades)
        self.sign.pades = ctypes.pointer(self.pades)
        self.sign.xml = ctypes.pointer(self.xml)


class Context(Handle):
    def __init__(self, trust: Sequence = (), intermediates: Sequence = (), offline: bool = False,
                 revocation: str = "hard", lang: Optional[str] = None, cache_dir=None,
                 validation_time: int = 0):
        if revocation not in _REVOCATION:
            raise ValueError("revocation must be 'hard', 'soft' or 'off', not %r" % (revocation,))
        if isinstance(trust, (str, bytes)) or hasattr(trust, "__fspath__"):
            trust = [trust]
        if lang is not None:
            _lang.set_language(lang)
        out = ctypes.c_void_p()
        check(lib.vbsig_ctx_new(ctypes.byref(out)))
        self._own(out.value, lib.vbsig_ctx_free)
        for t in trust:
            check(lib.vbsig_ctx_add_trust(self._ptr, fspath(t, "trust")))
        for t in intermediates:
            check(lib.vbsig_ctx_add_intermediates(self._ptr, fspath(t, "intermediates")))
        check(lib.vbsig_ctx_set_offline(self._ptr, int(bool(offline))))
        check(lib.vbsig_ctx_set_revocation_mode(self._ptr, _REVOCATION[revocation]))
        if cache_dir is not None:
            check(lib.vbsig_ctx_set_cache_dir(self._ptr, fspath(cache_dir, "cache_dir")))
        if validation_time:
            check(lib.vbsig_ctx_set_validation_time(self._ptr, int(validation_time)))

    # ---- signing
    def sign(self, in_path, out_path, signer: Signer, level="B-B", tsa: Optional[List[str]] = None,
             format: str = "auto", detached: bool = True, reason: Optional[str] = None,
             location: Optional[str] = None, appearance: Optional[Appearance] = None) -> str:
        """Signs a file in its own format (PDF, XML, anything else as CAdES);
        returns the format used. appearance (PDF only): vbsig.Leader, Seal,
        Attachment or Copy; None signs invisibly."""
        opts = _Opts(level, tsa, format, detached, reason, location, appearance)
        used = ctypes.c_int()
        check(lib.vbsig_sign_file(self._get(), _signer_ptr(signer), ctypes.byref(opts.sign),
                                  fspath(in_path, "in_path"), fspath(out_path, "out_path"), ctypes.byref(used)))
        return _FORMAT_NAMES.get(used.value, "auto")

    def sign_bytes(self, data, signer: Signer, format: str = "cades", detached: bool = True,
                   level="B-B", tsa: Optional[List[str]] = None) -> bytes:
        """A CAdES signature (DER) over bytes in memory."""
        if format != "cades":
            raise ValueError("sign_bytes makes CAdES signatures; sign files for PDF and XML")
        data = as_bytes(data)
        opts = _Opts(level, tsa, "cades", detached)
        buf = STRUCTS["vbsig_buf"]()
        check(lib.vbsig_cades_sign(self._get(), _signer_ptr(signer), ctypes.byref(opts.cades), data,
                                   len(data), ctypes.byref(buf)))
        try:
            return ctypes.string_at(buf.data, buf.len)
        finally:
            lib.vbsig_buf_free(ctypes.byref(buf))

    # ---- verifying
    def verify(self, path, data=None) -> Report:
        """Verifies a signed file in its own format; data: the signed file of a
        detached signature (a path) or its bytes."""
        if isinstance(data, (bytes, bytearray, memoryview)):
            with open(fspath(path), "rb") as f:
                return self.verify_bytes(f.read(), data)
        out = ctypes.c_void_p()
        check(lib.vbsig_verify_file(self._get(), fspath(path), fspath(data, "data") if data is not None else None,
                                    ctypes.byref(out)))
        return Report(out.value)

    def verify_bytes(self, sig, data=None) -> Report:
        """Verifies a signed document or signature in memory (PDF, XML, CMS)."""
        sig = as_bytes(sig, "sig")
        out = ctypes.c_void_p()
        head = sig[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
        if b"%PDF-" in sig[:1024] and data is None:
            check(lib.vbsig_pades_verify(self._get(), sig, len(sig), b"(memory)", ctypes.byref(out)))
        elif head.startswith(b"<") and data is None:
            check(lib.vbsig_xml_verify(self._get(), sig, len(sig), ctypes.byref(out)))
        else:
            d = as_bytes(data) if data is not None else None
            check(lib.vbsig_cades_verify(self._get(), sig, len(sig), d, len(d) if d is not None else 0,
                                         ctypes.byref(out)))
        return Report(out.value)

    # ---- many files, one login
    def batch(self, signer: Signer, out_dir=None, level="B-B", tsa=None, format="auto",
              detached=True) -> "Batch":
        return Batch(self, signer, _Opts(level, tsa, format, detached), out_dir)

    # ---- two-step
    def prepare(self, in_path_or_data, signer: Signer, format: str = "pades", level="B-B", tsa=None,
                detached=True) -> "Pending":
        """Lays out a signature and gives the digest an outside key holder must
        sign (signer needs only a certificate: Signer.from_certificate)."""
        opts = _Opts(level, tsa, format, detached)
        out = ctypes.c_void_p()
        if format == "pades":
            check(lib.vbsig_pades_prepare(self._get(), _signer_ptr(signer), ctypes.byref(opts.pades),
                                          fspath(in_path_or_data, "in_path"), ctypes.byref(out)))
        elif format == "cades":
            data = as_bytes(in_path_or_data)
            check(lib.vbsig_cades_prepare(self._get(), _signer_ptr(signer), ctypes.byref(opts.cades), data,
                                          len(data), ctypes.byref(out)))
        else:
            raise ValueError("prepare supports format 'pades' or 'cades'")
        return Pending(out.value, format, (self, signer, opts))


class Pending(Handle):
    """A prepared signature waiting for its signature value."""

    def __init__(self, ptr, fmt, keep):
        free = lib.vbsig_pades_pending_free if fmt == "pades" else lib.vbsig_cades_pending_free
        self._own(ptr, free)
        self._fmt, self._keep = fmt, keep  # ctx, signer and options must outlive the handle

    def _get(self):
        # The C handle points into the context and signer: closing either
        # first must give an exception here, not a use after free in C.
        ptr = super()._get()
        self._keep[0]._get()
        self._keep[1]._get()
        return ptr

    def _request(self):
        fn = lib.vbsig_pades_pending_request if self._fmt == "pades" else lib.vbsig_cades_pending_request
        return fn(self._get()).contents

    @property
    def digest(self) -> bytes:
        r = self._request()
        return ctypes.string_at(r.digest, r.digest_len)

    @property
    def digest_algorithm(self) -> str:
        return {1: "sha256", 2: "sha384", 3: "sha512", 4: "sha3-256", 5: "sha3-512"}.get(
            self._request().digest_alg, "unknown")

    def finish(self, signature, out_path=None) -> Optional[bytes]:
        """PDF: writes out_path; CAdES: returns the SignedData."""
        sig = as_bytes(signature, "signature")
        if self._fmt == "pades":
            check(lib.vbsig_pades_finish(self._get(), sig, len(sig), fspath(out_path, "out_path")))
            return None
        buf = STRUCTS["vbsig_buf"]()
        check(lib.vbsig_cades_finish(self._get(), sig, len(sig), ctypes.byref(buf)))
        try:
            return ctypes.string_at(buf.data, buf.len)
        finally:
            lib.vbsig_buf_free(ctypes.byref(buf))


class BatchItem:
    def __init__(self, index, input, output, format, status, message):
        self.index, self.input, self.output, self.format = index, input, output, format
        self.status, self.message = status, message

    @property
    def ok(self) -> bool:
        return self.status == 0

    @property
    def error(self):
        return None if self.ok else error_for(self.status, self.message)

    def __repr__(self):
        return "BatchItem(%d, %r, %s)" % (self.index, self.input, "ok" if self.ok else self.message)


class Batch(Handle):
    """with ctx.batch(signer) as b: b.add(a, out); for item in b.run(progress=cb): …"""

    def __init__(self, ctx, signer, opts, out_dir):
        self._opts = STRUCTS["vbsig_batch_opts"]()
        lib.vbsig_batch_opts_init(ctypes.byref(self._opts))
        self._opts.sign = opts.sign
        self._dir = fspath(out_dir, "out_dir") if out_dir is not None else None
        self._opts.out_dir = self._dir
        out = ctypes.c_void_p()
        check(lib.vbsig_batch_new(ctypes.byref(out), ctx._get(), _signer_ptr(signer), ctypes.byref(self._opts)))
        self._own(out.value, lib.vbsig_batch_free)
        self._keep = (ctx, signer, opts)

    def _get(self):
        ptr = super()._get()
        self._keep[0]._get()  # the batch signs with them: both must still be open
        self._keep[1]._get()
        return ptr

    def add(self, in_path, out_path=None) -> None:
        check(lib.vbsig_batch_add(self._get(), fspath(in_path, "in_path"),
                                  fspath(out_path, "out_path") if out_path is not None else None))

    def run(self, progress: Optional[Callable[[int, int, int], None]] = None) -> Iterator[BatchItem]:
        """Signs every file; progress(index, done, total) after each one leaves
        the token. Returns the per-file results (a failure does not stop the others)."""
        raised = []

        def on_progress(_user, _batch, index, done, total):
            if progress is not None and not raised:
                try:
                    progress(index, done, total)
                except BaseException as e:  # re-raised after the C call returns
                    raised.append(e)

        cb = CALLBACKS["vbsig_batch_progress_cb"](on_progress)
        check(lib.vbsig_batch_run(self._get(), cb, None))
        if raised:
            raise raised[0]
        b = self._ptr
        items = []
        for i in range(lib.vbsig_batch_count(b)):
            o = lib.vbsig_batch_item_output(b, i)
            items.append(BatchItem(i, lib.vbsig_batch_item_input(b, i).decode(errors="surrogateescape"),
                                   o.decode(errors="surrogateescape") if o else None,
                                   _FORMAT_NAMES.get(lib.vbsig_batch_item_format(b, i), "auto"),
                                   lib.vbsig_batch_item_status(b, i),
                                   (lib.vbsig_batch_item_message(b, i) or b"").decode("utf-8", "replace")))
        return iter(items)
