"""vbsig.Error and its families, mapped from the C status codes (status.h)."""
from ._decls import ENUMS

_NAMES = {v: k for k, v in ENUMS["vbsig_status"].items()}


class Error(Exception):
    """A failed vbsig call: .status (the negative C code), .name, .message."""

    def __init__(self, status: int, message: str):
        super().__init__(message or _NAMES.get(status, str(status)))
        self.status = status
        self.name = _NAMES.get(status, "VBSIG_E_%d" % -status)
        self.message = message

    def __repr__(self):
        return "%s(%s, %r)" % (type(self).__name__, self.name, self.message)


class InvalidArgumentError(Error, ValueError):
    pass


class MalformedInputError(Error, ValueError):
    """Input that is not well-formed, unsupported or over a safety limit."""


class AuthenticationError(Error):
    """Wrong password or PIN."""


class PinLockedError(AuthenticationError):
    pass


class TokenError(Error):
    """No token, token removed, module or mechanism problems."""


class TokenAbsentError(TokenError):
    pass


class TokenRemovedError(TokenError):
    pass


class KeyError_(Error):
    """The key or certificate cannot sign, or none matched."""


class RefusedError(Error):
    """The document's own rules forbid the operation."""


class UnavailableError(Error):
    """A service or device is unavailable or did not answer in time."""


class IOError_(Error, OSError):
    """A file could not be read or written."""

    def __init__(self, status, message):
        Error.__init__(self, status, message)


class NoMemoryError(Error, MemoryError):
    pass


class CancelledError(Error):
    pass


class CryptoError(Error):
    pass


_CLASSES = {
    -1: InvalidArgumentError, -2: NoMemoryError, -3: IOError_, -4: IOError_, -5: MalformedInputError,
    -6: MalformedInputError, -7: MalformedInputError, -8: CryptoError, -9: AuthenticationError,
    -10: PinLockedError, -11: KeyError_, -12: UnavailableError, -13: KeyError_,
    -14: TokenAbsentError, -15: TokenRemovedError, -16: TokenError, -17: TokenError,
    -18: RefusedError, -19: Error, -20: UnavailableError, -21: CancelledError,
}


def error_for(status: int, message: str) -> Error:
    return _CLASSES.get(status, Error)(status, message)


def check(rc: int) -> int:
    """Raises the Error for a failed call; the message is this thread's
    vbsig_last_error(), read before any other vbsig call can replace it."""
    if rc < 0:
        from ._lib import lib
        raw = lib.vbsig_last_error()
        raise error_for(rc, raw.decode("utf-8", "replace") if raw else "")
    return rc
