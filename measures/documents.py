"""Uploaded documents: their type read from their content, their size capped, kept in the
database, and only ever downloaded (never shown in the browser)."""

import hashlib
import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .models import DocumentType

# Members of a ZIP-based document that say what it is; a DOCX or OFD is a ZIP (an XLSX too).
DOCX_MARK = "word/document.xml"
OFD_MARK = "OFD.xml"
# A document's directory is read, never its members expanded: its size is bounded by the upload.
MAX_ZIP_MEMBERS = 5000


class DocumentError(ValueError):
    """The upload is not a document we keep; nothing is saved."""


def document_type(content):
    """The document's type, from its bytes (whatever its name says), or raise ``DocumentError``.

    A PDF starts with its header and ends with its end-of-file marker, and carries neither a web
    page nor a script anywhere in it, nor an action that runs when it opens; a DOCX or an OFD is
    a ZIP with nothing before its first member, whose parts say what it is and nothing else (a
    DOCX declares its main document part, an OFD holds OFD.xml; neither holds a spreadsheet,
    slides or the other's parts), and whose declared sizes stay within bounds.
    """
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-1024:]:
            raise DocumentError(_not_a_document())
        _check_pdf(content)
        return DocumentType.PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                infos = archive.infolist()
                if len(infos) > MAX_ZIP_MEMBERS:
                    raise DocumentError(_("文件内部结构异常，无法接收。"))
                if not infos or min(info.header_offset for info in infos) != 0:
                    raise DocumentError(_not_a_document())  # data before the archive
                members = {info.filename: info for info in infos}
                _check_inflation(infos)
                foreign = [name for name in members if name.startswith(("xl/", "ppt/"))]
                if OFD_MARK in members:
                    if foreign or any(name.startswith("word/") for name in members):
                        raise DocumentError(_mixed())
                    return DocumentType.OFD
                if DOCX_MARK in members and _declares_word(archive, members):
                    return DocumentType.DOCX
        except DocumentError:
            raise
        except (zipfile.BadZipFile, ValueError, OSError, KeyError):
            raise DocumentError(_("文件已损坏，无法识别。")) from None
    raise DocumentError(_not_a_document())


# What a document may inflate to, and by how much its members may be compressed.
MAX_INFLATED = 200 * 1024 * 1024
MAX_RATIO = 100


def _check_inflation(infos):
    inflated = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if inflated > MAX_INFLATED or inflated > MAX_RATIO * max(compressed, 1):
        raise DocumentError(
            _(
                "文件解压后过大（{size} MB，压缩比 {ratio:.0f} 倍），超过上限（{limit} MB，"
                "{max_ratio} 倍），不像正常的文件，拒绝接收。"
            ).format(
                size=f"{inflated / 1048576:.0f}",
                ratio=inflated / max(compressed, 1),
                limit=MAX_INFLATED // 1048576,
                max_ratio=MAX_RATIO,
            )
        )


def _mixed():
    return _("文件同时含有 OFD 与 Word、Excel 或演示文稿的内容，不是单一格式的文件，拒绝接收。")


# Names in a PDF (written with #xx escapes or not) of what runs code or other programs.
PDF_ACTIVE_NAMES = {b"/JavaScript", b"/JS", b"/Launch", b"/RichMedia", b"/EmbeddedFile"}
PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
PDF_PAGE_MARKERS = (b"<html", b"<script", b"<!doctype", b"<iframe", b"<body")


def _pdf_names(content):
    for match in PDF_NAME.finditer(content):
        name = match.group(0)
        if b"#" in name:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)
        yield name, match.end()


def _check_pdf(content):
    """The whole file (it is bounded by the upload's limit): no web page, no script, no action
    run at opening (an /OpenAction that only opens a page, ``[3 0 R /Fit]``, is no action)."""
    lowered = content.lower()
    if any(marker in lowered for marker in PDF_PAGE_MARKERS):
        raise DocumentError(_not_a_document())
    for name, end in _pdf_names(content):
        if name in PDF_ACTIVE_NAMES:
            raise DocumentError(_active_pdf(name))
        if name == b"/OpenAction" and not content[end : end + 64].lstrip().startswith(b"["):
            raise DocumentError(_active_pdf(name))


def _active_pdf(name):
    return _(
        "PDF 文件含有打开时运行的动作或脚本（{name}），拒绝接收。请用“打印为 PDF”重新生成后再上传。"
    ).format(name=name.decode("ascii", "replace"))


def _not_a_document():
    return _("只接收 PDF、DOCX 或 OFD 格式的文件（按文件内容识别，不看扩展名）。")


# The content-types part of a document is a few kilobytes; a larger one is not read.
MAX_CONTENT_TYPES = 64 * 1024


def _declares_word(archive, members):
    """A word-processing document: its content types name the main document part, and it has no
    spreadsheet, slides or OFD in it."""
    if any(name.startswith(("xl/", "ppt/")) for name in members) or OFD_MARK in members:
        raise DocumentError(_mixed())
    types = members.get("[Content_Types].xml")
    if types is None or types.file_size > MAX_CONTENT_TYPES:
        return False
    return b"wordprocessingml.document.main+xml" in archive.read(types)


def check_upload(upload):
    """The upload's name, type and bytes, or raise ``DocumentError``. Django has received the
    file by now (the proxy bounds a request's body); no more than the limit is read from it."""
    limit = settings.MEASURE_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise DocumentError(_too_large(upload.size, limit))
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise DocumentError(_too_large(len(content), limit))
    if not content:
        raise DocumentError(_("文件是空的。"))
    kind = document_type(content)
    return safe_filename(upload.name, kind), kind, content


def _too_large(size, limit):
    return _("文件太大（{size} MB），上限为 {limit} MB。").format(
        size=f"{size / 1048576:.1f}", limit=f"{limit / 1048576:.0f}"
    )


def safe_filename(name, kind):
    """The name to download it under: the uploaded stem, with the extension its content has."""
    stem = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"<>:|?*')[:150].strip()
    return f"{stem or _('附件')}{DocumentType(kind).extension}"


def digest(content):
    return hashlib.sha256(content).hexdigest()
