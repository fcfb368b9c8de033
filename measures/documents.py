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
    """The document's type, from its bytes (whatever its name says), or raise ``DocumentError``."""
    if content.startswith(b"%PDF-"):
        return DocumentType.PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                infos = archive.infolist()
                if len(infos) > MAX_ZIP_MEMBERS:
                    raise DocumentError(_("文件内部结构异常，无法接收。"))
                names = {info.filename for info in infos}
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            if isinstance(error, DocumentError):
                raise
            raise DocumentError(_("文件已损坏，无法识别。")) from None
        if DOCX_MARK in names and "[Content_Types].xml" in names:
            return DocumentType.DOCX
        if OFD_MARK in names:
            return DocumentType.OFD
    raise DocumentError(_("只接收 PDF、DOCX 或 OFD 格式的文件（按文件内容识别，不看扩展名）。"))


def check_upload(upload):
    """The upload's name, type and bytes, read within the size limit, or raise ``DocumentError``."""
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
