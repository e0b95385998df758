"""How a PDF signature looks on the page (Decree 30/2020 layouts): the
leader's signature image, the organisation's seal, and the attachment and
copy text stamps. Pass one to Context.sign(..., appearance=...)."""
import ctypes
from typing import Optional, Sequence

from ._handle import fspath
from ._lib import STRUCTS, lib

_KIND = {"leader": 1, "seal": 2, "attachment": 3, "copy": 4}


def _utf8(s, what):
    if s is None:
        return None
    if not isinstance(s, str):
        raise TypeError("%s must be str, not %s" % (what, type(s).__name__))
    if "\0" in s:
        raise ValueError("%s contains a NUL character" % what)
    return s.encode("utf-8")


class Appearance:
    """Common to every layout: page (1-based; 0: the layout's default) and
    rect_mm (x, y, width, height in mm from the top-left of the displayed
    page; None: the layout places itself)."""

    _kind = ""

    def __init__(self, page: int = 0, rect_mm: Optional[Sequence[float]] = None):
        if not isinstance(page, int) or page < 0:
            raise ValueError("page must be a whole number, 1 or more (0: the layout's default)")
        if rect_mm is not None and len(rect_mm) != 4:
            raise ValueError("rect_mm is (x, y, width, height) in millimetres")
        self.page = page
        self.rect_mm = tuple(float(v) for v in rect_mm) if rect_mm is not None else (0.0, 0.0, 0.0, 0.0)

    def _struct(self):
        """The C struct and the buffers it points into (kept alive by the caller)."""
        ap = STRUCTS["vbsig_pades_appearance"]()
        lib.vbsig_pades_appearance_init(ctypes.byref(ap))
        ap.kind = _KIND[self._kind]
        ap.page = self.page
        for i, v in enumerate(self.rect_mm):
            ap.rect_mm[i] = v
        keep = []
        for field, value in self._strings():
            keep.append(value)
            setattr(ap, field, value)
        return ap, keep

    def _strings(self):
        return []


class Leader(Appearance):
    """The leader's signature image (a transparent PNG), between the title
    line and the name of the signature block, found by a text anchor (None:
    the usual title words such as "CHỦ TỊCH", last page first)."""

    _kind = "leader"

    def __init__(self, image, anchor: Optional[str] = None, page: int = 0, rect_mm=None):
        super().__init__(page, rect_mm)
        self.image = fspath(image, "image")
        self.anchor = _utf8(anchor, "anchor")

    def _strings(self):
        return [("image_path", self.image), ("anchor", self.anchor)]


class Seal(Appearance):
    """The organisation's red seal at its real size (size_mm; 0: from the
    PNG's pHYs) over the leader's signature (over_field; None: the latest
    visible signature)."""

    _kind = "seal"

    def __init__(self, image, size_mm: float = 0.0, over_field: Optional[str] = None, page: int = 0,
                 rect_mm=None):
        super().__init__(page, rect_mm)
        if size_mm < 0:
            raise ValueError("size_mm must not be negative")
        self.image = fspath(image, "image")
        self.size_mm = float(size_mm)
        self.over_field = _utf8(over_field, "over_field")

    def _struct(self):
        ap, keep = super()._struct()
        ap.seal_size_mm = self.size_mm
        return ap, keep

    def _strings(self):
        return [("image_path", self.image), ("over_field", self.over_field)]


class Attachment(Appearance):
    """The text stamp of a document sent with another: its number and
    notation (e.g. "15/QĐ-UBND") and the signing time, top right of page 1."""

    _kind = "attachment"

    def __init__(self, doc_number: str, font=None, page: int = 0, rect_mm=None):
        super().__init__(page, rect_mm)
        if doc_number is None:
            raise TypeError("doc_number must be str, not None")
        self.doc_number = _utf8(doc_number, "doc_number")
        self.font = fspath(font, "font") if font is not None else None

    def _strings(self):
        return [("doc_number", self.doc_number), ("font_path", self.font)]


class Copy(Appearance):
    """The text stamp of a copy: its form ("SAO Y", "SAO LỤC", "TRÍCH SAO"),
    the copying organisation and the signing time, top right of page 1."""

    _kind = "copy"

    def __init__(self, form: str, org: str, font=None, page: int = 0, rect_mm=None):
        super().__init__(page, rect_mm)
        if form is None or org is None:
            raise TypeError("form and org must be str, not None")
        self.form = _utf8(form, "form")
        self.org = _utf8(org, "org")
        self.font = fspath(font, "font") if font is not None else None

    def _strings(self):
        return [("copy_form", self.form), ("copy_org", self.org), ("font_path", self.font)]
