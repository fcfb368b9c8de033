"""CAS single sign-on through the province's identity platform (django-cas-ng, python-cas).

The library validates tickets and keeps the sessions a single log-out must end; what is the
portal's own is here:
- a CAS user is an existing local account (by user name, or by the value of
  ``CAS_USERNAME_ATTRIBUTE``); nobody is created with a role, and an unknown or disabled user is
  not logged in (``CAS_CREATE_INACTIVE`` records an unknown one as an inactive account);
- the CAS server is asked with a time-out, its answer is read up to a bound, and an answer
  with a DTD or an entity is refused before it is parsed;
- a ticket is used once: a replayed one is refused here even if the server would take it;
- every refusal has a reason (``REASONS``), logged and written to the audit trail by the
  failed log-in it causes (``accounts.signals.login_failed``).
"""

import hashlib
import logging
import time
from xml.etree.ElementTree import ParseError

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
User = get_user_model()

# The most a CAS server's answer may be (a validation answer is a few hundred bytes).
MAX_ANSWER_BYTES = 64 * 1024
# How long a used ticket is remembered (CAS tickets live seconds; a day is ample).
USED_TICKET_SECONDS = 24 * 60 * 60
VIA = "portal_login_via"

REASONS = {
    "ticket_refused": _(
        "统一身份认证平台未确认本次登录（登录票据无效、已过期或不是为本系统签发的）。"
    ),
    "replayed": _("该登录票据已经使用过，每张票据只能登录一次。"),
    "timeout": _("统一身份认证平台在 %(seconds)d 秒内没有应答。"),
    "unreachable": _("无法连接统一身份认证平台。"),
    "malformed": _("统一身份认证平台的应答无法识别。"),
    "no_attribute": _("统一身份认证平台的应答中没有用于识别账号的属性“%(attribute)s”。"),
    "no_account": _("您的账号尚未开通，请联系安全管理员。"),
    "inactive": _("您的账号已停用，请联系安全管理员。"),
}


class AnswerRefused(Exception):
    """The CAS server's answer is refused before it is parsed."""


class BoundedSession(requests.Session):
    """Asks the CAS server with a time-out and reads at most ``MAX_ANSWER_BYTES`` of its answer,
    refusing one that declares a DTD or an entity (what an XML bomb needs)."""

    def request(self, method, url, **kwargs):
        seconds = settings.CAS_TIMEOUT_SECONDS
        kwargs["timeout"] = seconds
        kwargs["stream"] = True
        kwargs["allow_redirects"] = False
        deadline = time.monotonic() + seconds
        response = super().request(method, url, **kwargs)
        body = bytearray()
        try:
            for chunk in response.iter_content(8192):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise AnswerRefused(f"answer longer than {MAX_ANSWER_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise requests.Timeout(f"answer not complete within {seconds} s")
        finally:
            response.close()
        lowered = bytes(body).lower()
        if b"<!doctype" in lowered or b"<!entity" in lowered:
            raise AnswerRefused("answer declares a DTD or an entity")
        response._content = bytes(body)
        response._content_consumed = True
        return response


def bounded_session():
    return BoundedSession()


def first_use(ticket):
    """True the first time ``ticket`` is seen (the cache is shared by every worker)."""
    key = "cas-ticket:" + hashlib.sha256(ticket.encode()).hexdigest()
    return cache.add(key, 1, timeout=USED_TICKET_SECONDS)


def refusal_text(reason):
    return REASONS[reason] % {
        "seconds": settings.CAS_TIMEOUT_SECONDS,
        "attribute": settings.CAS_USERNAME_ATTRIBUTE,
    }


def _present(value):
    if isinstance(value, list):
        return any(_present(item) for item in value)
    return value is not None and str(value).strip().lower() not in ("", "false", "0", "no")


class CASBackend(ModelBackend):
    """Authenticates a CAS ticket; never a password, never creates an account with a role."""

    def authenticate(self, request, ticket=None, service=None, **kwargs):
        if not (ticket and service and settings.CAS_SERVER_URL) or request is None:
            return None
        from django_cas_ng.utils import get_cas_client

        if not first_use(ticket):
            return self.refuse(request, "replayed")
        client = get_cas_client(service_url=service, request=request)
        try:
            answer = client.get_verification_response(ticket)
        except requests.Timeout:
            return self.refuse(request, "timeout")
        except AnswerRefused as error:
            return self.refuse(request, "malformed", str(error))
        except requests.RequestException as error:
            return self.refuse(request, "unreachable", str(error))
        try:
            name, attributes, _proxy = client.verify_response(answer)
        except (ParseError, IndexError, AttributeError, ValueError, TypeError) as error:
            return self.refuse(request, "malformed", repr(error))
        if not name:
            return self.refuse(request, "ticket_refused")
        attributes = attributes or {}
        if settings.CAS_USERNAME_ATTRIBUTE != "cas:user":
            name = attributes.get(settings.CAS_USERNAME_ATTRIBUTE)
            if isinstance(name, list):
                name = name[0] if name else None
            if not name:
                return self.refuse(request, "no_attribute")
        name = str(name).strip()
        request.cas_username = name
        user = User._default_manager.filter(username=name).first()
        if user is None:
            if settings.CAS_CREATE_INACTIVE:
                user = User(username=name, is_active=False)
                user.set_unusable_password()
                user.save()
            return self.refuse(request, "no_account")
        if not self.user_can_authenticate(user):
            # An account recorded at a first CAS log-in, never opened, awaits its role.
            awaiting = user.last_login is None and not user.has_usable_password()
            return self.refuse(request, "no_account" if awaiting else "inactive")
        # The platform's own authentication stands, unless it must say it used more than a
        # password (then the portal asks its own second factor).
        required = settings.CAS_REQUIRE_ATTRIBUTE
        request.cas_strong = not required or _present(attributes.get(required))
        return user

    def refuse(self, request, reason, detail=""):
        logger.warning("CAS log-in refused (%s)%s", reason, f": {detail}" if detail else "")
        request.login_failure = {
            "via": "cas",
            "reason": reason,
            "username": getattr(request, "cas_username", ""),
        }
        return None


SAML_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"


def single_log_out(text):
    """The platform's single log-out (a SAML LogoutRequest naming tickets in its SessionIndex):
    end the portal's sessions those tickets opened. Returns how many ended, or None for a
    request refused (not XML, a DTD or an entity, too long, naming no ticket)."""
    from importlib import import_module

    from django_cas_ng.models import SessionTicket
    from django_cas_ng.signals import cas_user_logout
    from django_cas_ng.utils import get_user_from_session
    from lxml import etree

    lowered = text.lower()
    if not text or len(text) > MAX_ANSWER_BYTES or "<!doctype" in lowered or "<!entity" in lowered:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    tickets = [
        node.text.strip()
        for node in root.iter(f"{{{SAML_PROTOCOL}}}SessionIndex")
        if node.text and node.text.strip()
    ]
    if not tickets:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in SessionTicket.objects.filter(ticket__in=tickets):
        session = store(session_key=row.session_key)
        cas_user_logout.send(
            sender="slo", user=get_user_from_session(session), session=session, ticket=row.ticket
        )
        session.delete()
        ended += 1
    SessionTicket.objects.filter(ticket__in=tickets).delete()
    return ended


def remember_ticket(request, ticket):
    """After a log-in through CAS: the ticket, so that the server's single log-out finds the
    session; and the way in, so that logging out also logs out of the platform."""
    from django_cas_ng.models import SESSION_KEY_MAXLENGTH, SessionTicket

    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key[:SESSION_KEY_MAXLENGTH]
    SessionTicket.objects.update_or_create(session_key=key, defaults={"ticket": ticket})
    request.session[VIA] = "cas"


def forget_ticket(session_key):
    from django_cas_ng.models import SESSION_KEY_MAXLENGTH, SessionTicket

    if session_key:
        SessionTicket.objects.filter(session_key=session_key[:SESSION_KEY_MAXLENGTH]).delete()


def logout_url(request, then):
    """The CAS server's log-out, which sends the browser back to ``then`` (absolute)."""
    from django_cas_ng.utils import get_cas_client

    return get_cas_client(request=request).get_logout_url(then)
