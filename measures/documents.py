"""Uploaded documents: their type read from their content, their size capped, kept in the
database, and only ever downloaded (never shown in the browser)."""

import hashlib
import io
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

    A PDF starts with its header and ends with its end-of-file marker, and carries no web page
    in its head; a DOCX or an OFD is a ZIP with nothing before its first member, whose parts say
    what it is (a DOCX declares its main document part; a spreadsheet or slides are not one).
    """
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-1024:] or _looks_like_a_page(content[:1024]):
            raise DocumentError(_not_a_document())
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
                if OFD_MARK in members:
                    return DocumentType.OFD
                if DOCX_MARK in members and _declares_word(archive, members):
                    return DocumentType.DOCX
        except DocumentError:
            raise
        except (zipfile.BadZipFile, ValueError, OSError, KeyError):
            raise DocumentError(_("文件已损坏，无法识别。")) from None
    raise DocumentError(_not_a_document())


def _not_a_document():
    return _("只接收 PDF、DOCX 或 OFD 格式的文件（按文件内容识别，不看扩展名）。")


def _looks_like_a_page(head):
    head = head.lower()
    return b"<html" in head or b"<script" in head or b"<!doctype" in head


# The content-types part of a document is a few kilobytes; a larger one is not read.
MAX_CONTENT_TYPES = 64 * 1024


def _declares_word(archive, members):
    """A word-processing document: its content types name the main document part, and it has no
    spreadsheet or slides in it."""
    if any(name.startswith(("xl/", "ppt/")) for name in members):
        return False
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
