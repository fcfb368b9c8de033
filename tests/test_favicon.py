"""The portal's icon: drawn for it (scripts/make-favicon.py), linked by every page and served at
/favicon.ico, where browsers ask for it."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from PIL import Image

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_the_icon_is_at_the_address_browsers_ask_for(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    sizes = Image.open(io.BytesIO(body)).ico.sizes()
    assert sizes == {(16, 16), (32, 32), (48, 48)}


def test_pages_and_the_admin_link_the_icon(client, administrator):
    svg = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'
    ico = '<link rel="icon" href="/static/img/favicon.ico" sizes="16x16 32x32 48x48">'
    page = html(client.get("/accounts/login/"))
    assert svg in page and ico in page
    client.force_login(administrator)
    page = html(client.get("/admin/"))
    assert svg in page and ico in page


def test_the_icon_is_white_bars_on_the_portals_red():
    path = settings.BASE_DIR / "static" / "img" / "favicon.svg"
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    fills = [rect.get("fill") for rect in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills == ["#b3121d", "#ffffff", "#ffffff", "#ffffff"]
