"""Documents uploaded with a policy or a good practice: typed by their content, capped in
size, kept in the database, and only ever downloaded, by those who may see the report."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from measures import services
from measures.models import MeasureDocument, MeasureReport
from measures.types import MEASURE_TYPES
from workflow.models import WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFD_TYPE = "application/ofd"
NOT_A_DOCUMENT = "只接收 PDF、DOCX 或 OFD 格式的文件（按文件内容识别，不看扩展名）。"

FORM_DATA = {
    "policies": {
        "title": "郑州市知识产权质押融资贴息办法",
        "issuer": "郑州市市场监督管理局",
        "document_number": "郑知〔2021〕3号",
        "issued_on": "2021-03-05",
        "type": "interest",
        "in_force": "on",
    },
    "practices": {"title": "服务进园区", "text": "在高新区设立质押融资服务站。"},
}
DOCUMENT_KINDS = list(FORM_DATA)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


WORD_TYPES = (
    '<Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx(*extra):
    """A DOCX as far as its type is read: its content types name the main document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", WORD_TYPES)
        for name in ("_rels/.rels", "word/document.xml", *extra):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = docx()
OFD = zipped("OFD.xml", "Doc_0/Document.xml")
XLSX = zipped("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
MIXED = "文件同时含有 OFD 与 Word、Excel 或演示文稿的内容，不是单一格式的文件，拒绝接收。"
ACTIVE = (
    "PDF 文件含有打开时运行的动作或脚本（{name}），拒绝接收。请用“打印为 PDF”重新生成后再上传。"
)


def _zeros_ofd():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", b"\x00" * (8 * 1024 * 1024))
    content = buffer.getvalue()
    info = zipfile.ZipFile(io.BytesIO(content)).infolist()[0]
    return content, info.file_size / info.compress_size


ZEROS_OFD, _ZEROS_RATIO = _zeros_ofd()
INFLATED = (
    f"文件解压后过大（8 MB，压缩比 {_ZEROS_RATIO:.0f} 倍），超过上限（200 MB，100 倍），"
    "不像正常的文件，拒绝接收。"
)


def add_url(period, unit, kind):
    return reverse("measures:add_item", args=[period.slug, unit.code, kind])


def edit_url(period, unit, kind, pk):
    return reverse("measures:edit_item", args=[period.slug, unit.code, kind, pk])


def document_url(document):
    return reverse("measures:document", args=[document.pk])


@pytest.fixture
def zhengzhou(units):
    return units["郑州"]


@pytest.fixture
def submitter_client(client, zhengzhou_submitter):
    client.force_login(zhengzhou_submitter)
    return client


@pytest.fixture
def started(zhengzhou_submitter, zhengzhou, open_period):
    """郑州's draft with one event already: the report at version 1."""
    return services.save_item(
        zhengzhou_submitter,
        zhengzhou,
        open_period,
        MEASURE_TYPES["events"],
        {
            "type": "training",
            "title": "培训",
            "held_on": open_period.starts_on,
            "place": "郑州",
            "organiser": "郑州市市场监督管理局",
        },
        expected_version=None,
    ).report


def upload(client, period, unit, kind, name, content, version=1):
    return client.post(
        add_url(period, unit, kind),
        {**FORM_DATA[kind], "version": version, "document": SimpleUploadedFile(name, content)},
    )


# ── accepted, typed by content ───────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_name"),
    [
        ("办法.pdf", PDF, PDF_TYPE, "办法.pdf"),
        ("办法.docx", DOCX, DOCX_TYPE, "办法.docx"),
        ("办法.ofd", OFD, OFD_TYPE, "办法.ofd"),
    ],
    ids=["pdf", "docx", "ofd"],
)
def test_a_document_is_accepted_and_typed_by_its_content(
    submitter_client,
    zhengzhou_submitter,
    zhengzhou,
    open_period,
    started,
    kind,
    name,
    content,
    content_type,
    stored_name,
):
    response = upload(submitter_client, open_period, zhengzhou, kind, name, content)

    assert response.status_code == 302
    [document] = MeasureDocument.objects.all()
    assert (
        document.report,
        document.filename,
        document.content_type,
        document.size,
        document.sha256,
        bytes(document.content),
        document.uploaded_by,
    ) == (
        started,
        stored_name,
        content_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
        content,
        zhengzhou_submitter,
    )
    [item] = MEASURE_TYPES[kind].model.objects.all()
    assert item.document == document
    started.refresh_from_db()
    assert started.version == 2


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_name"),
    [
        ("x.docx", PDF, PDF_TYPE, "x.pdf"),
        ("x.pdf", DOCX, DOCX_TYPE, "x.docx"),
        ("x", OFD, OFD_TYPE, "x.ofd"),
        ("x.tar.gz", PDF, PDF_TYPE, "x.tar.pdf"),
        (".pdf", PDF, PDF_TYPE, "附件.pdf"),
        ('a"b<c>d|e?f*.pdf', PDF, PDF_TYPE, "abcdef.pdf"),
    ],
)
def test_the_stored_name_keeps_the_uploaded_stem_with_the_extension_of_the_content(
    submitter_client, zhengzhou, open_period, started, name, content, content_type, stored_name
):
    response = upload(submitter_client, open_period, zhengzhou, "policies", name, content)

    assert response.status_code == 302
    [document] = MeasureDocument.objects.all()
    assert (document.filename, document.content_type) == (stored_name, content_type)


def test_a_new_upload_replaces_the_items_document_and_keeps_the_old_one(
    submitter_client, zhengzhou, open_period, started
):
    upload(submitter_client, open_period, zhengzhou, "practices", "旧.pdf", PDF)
    [practice] = MEASURE_TYPES["practices"].model.objects.all()
    old = practice.document

    page = submitter_client.get(edit_url(open_period, zhengzhou, "practices", practice.pk))
    assert f'<a href="{document_url(old)}" download>旧.pdf</a>' in page.content.decode()
    response = submitter_client.post(
        edit_url(open_period, zhengzhou, "practices", practice.pk),
        {**FORM_DATA["practices"], "version": 2, "document": SimpleUploadedFile("新.docx", DOCX)},
    )

    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.document.filename == "新.docx"
    assert [d.filename for d in MeasureDocument.objects.order_by("pk")] == ["旧.pdf", "新.docx"]


def test_saving_an_item_without_a_new_file_keeps_its_document(
    submitter_client, zhengzhou, open_period, started
):
    upload(submitter_client, open_period, zhengzhou, "policies", "办法.pdf", PDF)
    [policy] = MEASURE_TYPES["policies"].model.objects.all()
    document = policy.document

    submitter_client.post(
        edit_url(open_period, zhengzhou, "policies", policy.pk),
        {**FORM_DATA["policies"], "title": "新名称", "version": 2},
    )

    policy.refresh_from_db()
    assert (policy.title, policy.document) == ("新名称", document)


# ── refused ──────────────────────────────────────────────────────────────────────────────

MANY_MEMBERS = zipped(*[f"m{n}.xml" for n in range(5001)])

REFUSED = {
    "a PNG named .pdf": ("图.pdf", PNG, NOT_A_DOCUMENT),
    "an XLSX named .docx": ("表.docx", XLSX, NOT_A_DOCUMENT),
    "a ZIP with Word's part but no content types": (
        "半.docx",
        zipped("word/document.xml"),
        NOT_A_DOCUMENT,
    ),
    "plain text named .pdf": ("a.pdf", b"hello, PDF-1.4", NOT_A_DOCUMENT),
    "a ZIP of more than 5000 members": ("bomb.docx", MANY_MEMBERS, "文件内部结构异常，无法接收。"),
    "a broken ZIP": ("坏.docx", b"PK\x03\x04" + b"\x00" * 100, "文件已损坏，无法识别。"),
    "an empty file": ("空.pdf", b"", "所提交的是空文件。"),
    "a web page behind a PDF header": (
        "页.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", NOT_A_DOCUMENT
    ),
    "a PDF header without its end": ("半.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", NOT_A_DOCUMENT),
    "a spreadsheet carrying Word's part": (
        "表.docx", zipped("[Content_Types].xml", "word/document.xml", "xl/workbook.xml"), MIXED,
    ),
    # #22: what was accepted as a document.
    "a web page after a PDF's first kilobyte": (
        "页.pdf", PDF.replace(b"trailer", b"%" + b"x" * 2000 + b"\n<html><script>x</script>\ntrailer"),
        NOT_A_DOCUMENT,
    ),
    "a PDF with a script": (
        "脚.pdf", PDF.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/Names<</JavaScript 3 0 R>>"),
        ACTIVE.format(name="/JavaScript"),
    ),
    "a PDF with a script under an escaped name": (
        "脚.pdf", PDF.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/Names<</Java#53cript 3 0 R>>"),
        ACTIVE.format(name="/JavaScript"),
    ),
    "a PDF with an action when it opens": (
        "动.pdf", PDF.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction 3 0 R"),
        ACTIVE.format(name="/OpenAction"),
    ),
    "an OFD inflating far past its size": ("大.ofd", ZEROS_OFD, INFLATED),
    "a spreadsheet carrying OFD.xml": (
        "表.ofd", zipped("OFD.xml", "[Content_Types].xml", "xl/workbook.xml"), MIXED
    ),
    "an OFD carrying Word's part": ("混.ofd", zipped("OFD.xml", "word/document.xml"), MIXED),
    "Word's parts without its content type": (
        "半.docx", zipped("[Content_Types].xml", "word/document.xml"), NOT_A_DOCUMENT
    ),
    "a document behind other bytes": ("尾.docx", b"PK\x03\x04junk" + DOCX, NOT_A_DOCUMENT),
}  # fmt: skip


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
@pytest.mark.parametrize("case", REFUSED)
def test_an_upload_that_is_not_a_document_is_refused_and_nothing_is_saved(
    submitter_client, zhengzhou, open_period, started, kind, case
):
    name, content, message = REFUSED[case]

    response = upload(submitter_client, open_period, zhengzhou, kind, name, content)

    assert response.status_code == 200
    assert response.context["form"].errors == {"document": [message]}
    assert f'<span class="error">{message}</span>' in response.content.decode()
    assert MeasureDocument.objects.count() == 0
    assert MEASURE_TYPES[kind].model.objects.count() == 0
    started.refresh_from_db()
    assert started.version == 1


def test_a_zip_of_exactly_5000_members_is_read_for_what_it_is(
    submitter_client, zhengzhou, open_period, started
):
    content = docx(*[f"m{n}" for n in range(4997)])

    response = upload(submitter_client, open_period, zhengzhou, "policies", "大.docx", content)

    assert response.status_code == 302
    assert MeasureDocument.objects.get().content_type == DOCX_TYPE


@override_settings(MEASURE_DOCUMENT_MAX_BYTES=1024 * 1024)
@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_a_document_over_the_size_limit_is_refused_and_nothing_is_saved(
    submitter_client, zhengzhou, open_period, started, kind
):
    content = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))

    response = upload(submitter_client, open_period, zhengzhou, kind, "大.pdf", content)

    assert response.status_code == 200
    assert response.context["form"].errors == {"document": ["文件太大（1.0 MB），上限为 1 MB。"]}
    assert MeasureDocument.objects.count() == 0
    assert MEASURE_TYPES[kind].model.objects.count() == 0
    started.refresh_from_db()
    assert started.version == 1


@override_settings(MEASURE_DOCUMENT_MAX_BYTES=1024 * 1024)
def test_a_document_of_exactly_the_size_limit_is_accepted(
    submitter_client, zhengzhou, open_period, started
):
    content = PDF[:9] + b"0" * (1024 * 1024 - len(PDF)) + PDF[9:]  # padded, its end kept

    response = upload(submitter_client, open_period, zhengzhou, "policies", "大.pdf", content)

    assert response.status_code == 302
    assert MeasureDocument.objects.get().size == 1024 * 1024


def test_a_refused_upload_on_a_new_report_leaves_no_report(
    submitter_client, zhengzhou, open_period
):
    response = upload(submitter_client, open_period, zhengzhou, "policies", "图.pdf", PNG, 0)

    assert response.context["form"].errors == {"document": [NOT_A_DOCUMENT]}
    assert MeasureReport.objects.count() == 0
    assert MeasureDocument.objects.count() == 0


def test_a_refused_upload_on_a_change_leaves_the_item_and_its_document_as_they_were(
    submitter_client, zhengzhou, open_period, started
):
    upload(submitter_client, open_period, zhengzhou, "policies", "办法.pdf", PDF)
    [policy] = MEASURE_TYPES["policies"].model.objects.all()

    response = submitter_client.post(
        edit_url(open_period, zhengzhou, "policies", policy.pk),
        {
            **FORM_DATA["policies"],
            "title": "新",
            "version": 2,
            "document": SimpleUploadedFile("x.pdf", PNG),
        },
    )

    assert response.context["form"].errors == {"document": [NOT_A_DOCUMENT]}
    policy.refresh_from_db()
    assert (policy.title, policy.document.filename) == (FORM_DATA["policies"]["title"], "办法.pdf")
    assert MeasureDocument.objects.count() == 1
    started.refresh_from_db()
    assert started.version == 2


def test_a_fund_has_no_document_and_a_file_posted_with_it_is_ignored(
    submitter_client, zhengzhou, open_period, started
):
    form = submitter_client.get(add_url(open_period, zhengzhou, "funds")).context["form"]
    assert "document" not in form.fields

    response = submitter_client.post(
        add_url(open_period, zhengzhou, "funds"),
        {
            "title": "风险补偿资金",
            "scope": "patent",
            "size": "100",
            "banks": "中原银行",
            "loans_count": "0",
            "loans_amount": "0",
            "compensation_paid": "0",
            "version": 1,
            "document": SimpleUploadedFile("办法.pdf", PDF),
        },
    )

    assert response.status_code == 302
    assert MeasureDocument.objects.count() == 0


# ── downloading ──────────────────────────────────────────────────────────────────────────


@pytest.fixture
def document(submitter_client, zhengzhou, open_period, started):
    upload(submitter_client, open_period, zhengzhou, "policies", "办法.pdf", PDF)
    return MeasureDocument.objects.get()


def submit(zhengzhou_submitter):
    """郑州 sends its measures: the province may now read them, documents included."""
    transition(MeasureReport.objects.get(), WorkflowAction.SUBMIT, zhengzhou_submitter)


@pytest.mark.parametrize("persona", ["zhengzhou_submitter", "reviewer", "administrator_user"])
def test_a_document_is_downloaded_as_an_attachment_with_its_exact_bytes(
    request, client, document, persona, zhengzhou_submitter
):
    if persona != "zhengzhou_submitter":
        submit(zhengzhou_submitter)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(document_url(document))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E5%8A%9E%E6%B3%95.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.content == PDF


def test_an_ascii_name_is_given_plainly(submitter_client, zhengzhou, open_period, started):
    upload(submitter_client, open_period, zhengzhou, "policies", "rules.docx", DOCX)

    response = submitter_client.get(document_url(MeasureDocument.objects.get()))

    assert response["Content-Disposition"] == 'attachment; filename="rules.docx"'
    assert response.content == DOCX


def test_another_units_submitter_gets_404_for_a_document(client, luoyang_submitter, document):
    client.force_login(luoyang_submitter)

    assert client.get(document_url(document)).status_code == 404


def test_a_document_that_does_not_exist_is_404(client, reviewer, document):
    client.force_login(reviewer)

    assert client.get(reverse("measures:document", args=[document.pk + 1])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_document(client, document):
    client.logout()  # (the upload logged the submitter in)

    response = client.get(document_url(document))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={document_url(document)}"


@pytest.mark.parametrize("persona", ["reviewer", "administrator_user"])
def test_a_drafts_document_is_the_units_until_it_is_submitted(
    request, client, document, persona, zhengzhou_submitter, zhengzhou, open_period
):
    client.force_login(request.getfixturevalue(persona))
    refused = client.get(document_url(document))
    assert refused.status_code == 403
    assert "Content-Disposition" not in refused
    assert "该单位的政策措施尚未提交，文件只有该单位可见。" in refused.content.decode()
    page = client.get(reverse("measures:report", args=[open_period.slug, zhengzhou.code]))
    assert "办法" not in page.content.decode()
    assert "该单位正在填写政策措施草稿" in page.content.decode()
    submit(zhengzhou_submitter)
    assert client.get(document_url(document)).content == PDF


def test_the_report_page_links_the_document_for_download(
    client, reviewer, zhengzhou, open_period, document, zhengzhou_submitter
):
    submit(zhengzhou_submitter)
    client.force_login(reviewer)

    page = client.get(reverse("measures:report", args=[open_period.slug, zhengzhou.code]))

    assert f'<a href="{document_url(document)}" download>下载</a>' in page.content.decode()


@pytest.mark.parametrize("persona", ["zhengzhou_submitter", "reviewer"])
def test_a_replaced_document_is_kept_but_no_longer_handed_out(
    request, submitter_client, client, zhengzhou, open_period, started, persona,
    zhengzhou_submitter,
):  # fmt: skip
    upload(submitter_client, open_period, zhengzhou, "practices", "旧.pdf", PDF)
    [practice] = MEASURE_TYPES["practices"].model.objects.all()
    old = practice.document
    submitter_client.post(
        edit_url(open_period, zhengzhou, "practices", practice.pk),
        {**FORM_DATA["practices"], "version": 2, "document": SimpleUploadedFile("新.docx", DOCX)},
    )
    submit(zhengzhou_submitter)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(document_url(old)).status_code == 404
    assert MeasureDocument.objects.filter(pk=old.pk).exists()  # the history still names it
    practice.refresh_from_db()
    assert client.get(document_url(practice.document)).status_code == 200


def test_a_deleted_items_document_is_no_longer_handed_out_to_anyone(
    submitter_client, client, reviewer, zhengzhou, open_period, started, document
):
    [policy] = MEASURE_TYPES["policies"].model.objects.all()
    submitter_client.post(
        reverse(
            "measures:delete_item", args=[open_period.slug, zhengzhou.code, "policies", policy.pk]
        ),
        {"version": 2},
    )
    assert not MEASURE_TYPES["policies"].model.objects.exists()
    client.force_login(reviewer)

    assert submitter_client.get(document_url(document)).status_code == 404
    assert client.get(document_url(document)).status_code == 404


def test_a_pdf_that_opens_at_a_page_is_no_action(submitter_client, zhengzhou, open_period, started):
    content = PDF.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction [3 0 R /Fit]")
    response = upload(submitter_client, open_period, zhengzhou, "policies", "页.pdf", content)
    assert response.status_code == 302
    assert MeasureDocument.objects.get().content_type == PDF_TYPE
