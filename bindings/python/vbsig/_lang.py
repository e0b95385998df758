"""The language of messages and reports. gettext reads it from the process
(LANGUAGE, LC_MESSAGES), so it is process-wide, not per context: set it
before starting threads that use vbsig."""
import contextlib
import locale
import os
import threading

_lock = threading.Lock()


def set_language(lang):
    if lang not in ("vi", "en"):
        raise ValueError("lang must be 'vi' or 'en', not %r" % (lang,))
    with _lock:
        os.environ["LANGUAGE"] = lang
        # gettext ignores LANGUAGE under the "C" locale; C.UTF-8 is always there.
        try:
            cur = locale.setlocale(locale.LC_MESSAGES, "")
        except locale.Error:
            cur = "C"
        if cur in ("C", "POSIX"):
            locale.setlocale(locale.LC_MESSAGES, "C.UTF-8")


@contextlib.contextmanager
def language(lang):
    if lang is None:
        yield
        return
    before = os.environ.get("LANGUAGE")
    set_language(lang)
    try:
        yield
    finally:
        with _lock:
            if before is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = before
