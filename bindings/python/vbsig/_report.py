"""Validation reports: the verdict, each signature and its signer, JSON
and text renderings. Accessors read the C report on demand."""
import ctypes
import datetime
import enum
from typing import List, Optional

from . import _lang
from ._errors import check
from ._handle import Handle
from ._lib import STRUCTS, lib

VN_TIME = datetime.timezone(datetime.timedelta(hours=7), "+07:00")


class Indication(enum.IntEnum):
    TOTAL_PASSED = 0
    INDETERMINATE = 1
    TOTAL_FAILED = 2


class Level(str, enum.Enum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


_LEVEL_NUM = {"B-B": 0, "B-T": 1, "B-LT": 2, "B-LTA": 3}


def level_number(level) -> int:
    v = level.value if isinstance(level, Level) else level
    if v not in _LEVEL_NUM:
        raise ValueError("level must be one of B-B, B-T, B-LT, B-LTA, not %r" % (level,))
    return _LEVEL_NUM[v]


def _s(p) -> Optional[str]:
    return p.decode("utf-8") if p is not None else None


def _time(t: int) -> Optional[datetime.datetime]:
    return datetime.datetime.fromtimestamp(t, VN_TIME) if t else None


class SignerInfo:
    """Fields of the signer's certificate (Vietnamese subjects: CN, O, title, MST:, CCCD:)."""
    _FIELDS = {"subject": 0, "issuer": 1, "serial": 2, "key": 3, "common_name": 4, "organization": 5,
               "title": 6, "tax_code": 7, "id_number": 8, "budget_code": 9}

    def __init__(self, report, i):
        self._r, self._i = report, i

    def __getattr__(self, name):
        if name not in SignerInfo._FIELDS:
            raise AttributeError(name)
        return _s(lib.vbsig_report_signer_field(self._r._get(), self._i, SignerInfo._FIELDS[name]))

    def __repr__(self):
        return "SignerInfo(%r)" % self.subject


class Signature:
    def __init__(self, report, i):
        self._r, self._i = report, i

    def _call(self, fn, *a):
        return fn(self._r._get(), self._i, *a)

    @property
    def status(self) -> Indication:
        return Indication(self._call(lib.vbsig_report_signature_indication))

    @property
    def subindication(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_signature_subindication))

    @property
    def level(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_signature_level))

    @property
    def id(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_signature_id))

    @property
    def signer(self) -> SignerInfo:
        return SignerInfo(self._r, self._i)

    @property
    def signing_time(self) -> Optional[datetime.datetime]:
        """The time a timestamp proves (aware, +07:00), else None."""
        return _time(self._call(lib.vbsig_report_signature_time, 0))

    @property
    def claimed_time(self) -> Optional[datetime.datetime]:
        """What the signature claims (proves nothing)."""
        return _time(self._call(lib.vbsig_report_signature_time, 1))

    @property
    def has_timestamp(self) -> bool:
        return self._call(lib.vbsig_report_signature_has_timestamp) == 1

    @property
    def timestamp_tsa(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_timestamp_tsa))

    @property
    def digest_algorithm(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_signature_digest_algorithm))

    @property
    def trust_domain(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_signature_trust_domain))

    @property
    def chain(self) -> List[str]:
        n = self._call(lib.vbsig_report_signature_chain_count)
        return [_s(self._call(lib.vbsig_report_signature_chain, j)) for j in range(n)]

    @property
    def revocation(self) -> Optional[str]:
        return _s(self._call(lib.vbsig_report_signature_revocation, None, None))

    @property
    def whole_document(self) -> bool:
        return self._call(lib.vbsig_report_signature_whole_document) == 1

    @property
    def messages(self) -> List[str]:
        n = self._call(lib.vbsig_report_signature_message_count)
        return [_s(self._call(lib.vbsig_report_signature_message, j)) for j in range(n)]


class Report(Handle):
    """One document's validation outcome."""

    def __init__(self, ptr):
        self._own(ptr, lib.vbsig_report_free)

    @property
    def status(self) -> Indication:
        return Indication(lib.vbsig_report_indication(self._get()))

    @property
    def format(self) -> Optional[str]:
        return _s(lib.vbsig_report_format(self._get()))

    @property
    def signatures(self) -> List[Signature]:
        return [Signature(self, i) for i in range(lib.vbsig_report_signature_count(self._get()))]

    def _render(self, fn, utc, pretty):
        opts = STRUCTS["vbsig_report_render_opts"]()
        lib.vbsig_report_render_opts_init(ctypes.byref(opts))
        opts.utc, opts.pretty = int(bool(utc)), int(bool(pretty))
        buf = STRUCTS["vbsig_buf"]()
        check(fn(self._get(), ctypes.byref(opts), ctypes.byref(buf)))
        try:
            return ctypes.string_at(buf.data, buf.len).decode("utf-8")
        finally:
            lib.vbsig_buf_free(ctypes.byref(buf))

    def to_json(self, pretty: bool = True, utc: bool = False) -> str:
        """The JSON of the CLI contract (vbsig verify --json)."""
        return self._render(lib.vbsig_report_to_json, utc, pretty)

    def text(self, lang: Optional[str] = None, utc: bool = False) -> str:
        """The report for people, in Vietnamese ("vi") or English ("en")."""
        with _lang.language(lang):
            return self._render(lib.vbsig_report_to_text, utc, False)

    def __repr__(self):
        return "<vbsig.Report %s>" % ("closed" if self.closed else self.status.name)
