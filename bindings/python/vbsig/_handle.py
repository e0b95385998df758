"""Owning a C handle: freed by close(), by a with-block or by the garbage
collector (weakref.finalize), whichever comes first; using it after that
raises ValueError instead of handing a dangling pointer to C."""
import ctypes
import os
import weakref


class Handle:
    _ptr = None

    def _own(self, ptr, free):
        self._ptr = ptr
        self._finalizer = weakref.finalize(self, free, ctypes.c_void_p(ptr))

    def _get(self):
        if self._ptr is None:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._ptr

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        if self._ptr is not None:
            self._ptr = None
            self._finalizer()

    def __enter__(self):
        self._get()
        return self

    def __exit__(self, *exc):
        self.close()


def fspath(p, what="path"):
    """str, bytes or os.PathLike -> bytes for C; anything else is a TypeError."""
    if p is None:
        raise TypeError("%s must be a path, not None" % what)
    if not isinstance(p, (str, bytes, os.PathLike)):
        raise TypeError("%s must be str, bytes or os.PathLike, not %s" % (what, type(p).__name__))
    b = os.fsencode(os.fspath(p))
    if b"\0" in b:
        raise ValueError("%s contains a NUL byte" % what)
    return b


def as_bytes(data, what="data"):
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("%s must be bytes-like, not %s" % (what, type(data).__name__))
    return bytes(data)


def wipe(secret):
    """Zeroes a bytearray in place (bytes are immutable: they cannot be wiped)."""
    if isinstance(secret, bytearray):
        for i in range(len(secret)):
            secret[i] = 0
