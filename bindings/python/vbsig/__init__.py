"""vbsig: digital signatures (PAdES, XAdES, CAdES) and their validation for
Vietnamese official documents, over the C library libvbsig (ctypes).

Thread safety: use each Context, Signer, Batch and Pending from one thread
at a time (one handle per thread); distinct handles in distinct threads are
fine. The language of messages (lang=) is process-wide (gettext)."""
from ._errors import (AuthenticationError, CancelledError, CryptoError, Error, InvalidArgumentError,
                      IOError_ as IOError, KeyError_ as KeyUnusableError, MalformedInputError,
                      PinLockedError, RefusedError, TokenAbsentError, TokenError, TokenRemovedError,
                      UnavailableError)
from ._report import Indication, Level, Report, Signature, SignerInfo
from ._signer import Signer
from ._context import Batch, BatchItem, Context, Pending
from ._lang import set_language
from ._appearance import Appearance, Attachment, Copy, Leader, Seal
from ._tokens import TokenInfo, TokenObject, list_token_objects, list_tokens
from ._lib import lib as _lib

__version__ = _lib.vbsig_version().decode()

__all__ = ["Appearance", "Attachment", "Copy", "Leader", "Seal", "AuthenticationError", "Batch", "BatchItem", "CancelledError", "Context", "CryptoError", "Error",
           "Indication", "InvalidArgumentError", "IOError", "KeyUnusableError", "Level",
           "list_token_objects", "list_tokens", "MalformedInputError", "Pending", "PinLockedError",
           "RefusedError", "Report", "set_language", "Signature", "Signer", "SignerInfo", "TokenAbsentError",
           "TokenError", "TokenInfo", "TokenObject", "TokenRemovedError", "UnavailableError"]
