"""The log-in: a local password or a CAS ticket, then the second factor where one is needed
(``accounts.factors``); enrolment of an authenticator; the log-out, which also leaves the
identity platform when the log-in came through it."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng.utils import get_cas_client, get_service_url

from audit.models import Event, Result
from audit.services import record

from . import cas, factors
from .lockout import locked_out

User = get_user_model()

USE_THE_PLATFORM = gettext_lazy("本系统已改用统一身份认证登录，请点击上方“统一身份认证登录”。")


def local_login_allowed(username):
    """Whether ``username`` may log in with a local password (``LOCAL_LOGIN``)."""
    mode = settings.LOCAL_LOGIN
    if mode == "all":
        return True
    if mode == "superuser":
        return User._default_manager.filter(username=username, is_superuser=True).exists()
    return False


def local_passwords_only(view_class):
    """``view_class`` answering 404 once local passwords are off (a reset by e-mail would be a
    way in past the identity platform)."""

    class Guarded(view_class):
        def dispatch(self, request, *args, **kwargs):
            if settings.LOCAL_LOGIN != "all":
                raise Http404("local passwords are off")
            return super().dispatch(request, *args, **kwargs)

    Guarded.__name__ = view_class.__name__
    Guarded.__qualname__ = view_class.__qualname__
    return Guarded


def safe_next(request, target):
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class PortalAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        # Refused before the password is checked: a switched-off local log-in tells nothing of
        # whether the password was right, and (for the emergency account only) nothing of which
        # name is the emergency account's: any other name reads as a wrong password.
        if username and not local_login_allowed(username):
            record(
                Event.LOGIN_FAILED,
                username=username,
                request=self.request,
                result=Result.REFUSED,
                details={"reason": "local_login_off"},
            )
            if settings.LOCAL_LOGIN == "superuser":
                raise self.get_invalid_login_error()
            raise forms.ValidationError(USE_THE_PLATFORM, code="local_login_off")
        return super().clean()


class LoginView(auth_views.LoginView):
    """The log-in page: 统一身份认证登录 when CAS is on, the local form where allowed; a right
    password leads to the second factor (or its enrolment) when the user has or needs one."""

    form_class = PortalAuthenticationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cas_login"] = bool(settings.CAS_SERVER_URL)
        context["local_login"] = settings.LOCAL_LOGIN
        return context

    def form_valid(self, form):
        user = form.get_user()
        step = factors.next_step(user)
        if step is None:
            return super().form_valid(form)
        factors.begin(self.request, user, via="password", next=self.get_success_url())
        return redirect("login_code" if step == "code" else "login_enrol")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("验证器应用中显示的 6 位数字；手机不在身边时，可输入一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class FirstCodeForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("扫描二维码后，验证器应用当前显示的 6 位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class ConfirmingCodeForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = FirstCodeForm.base_fields["code"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        # Checked as a log-in checks it: counted by the lock-out, refused while locked.
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) is None:
            raise forms.ValidationError(_("密码不正确。"), code="password_incorrect")
        return password


def _lapsed(request):
    messages.warning(request, _("登录已超时或尚未输入密码，请重新登录。"))
    return redirect("login")


def _finish(request, user, how):
    """Both steps done: log in, remember a CAS ticket, go where the log-in was headed."""
    data = factors.complete(request, user, how)
    if data.get("via") == "cas":
        cas.remember_ticket(request, data["ticket"])
    return redirect(safe_next(request, data.get("next")))


@method_decorator(never_cache, name="dispatch")
class CodeView(View):
    """The second step: the code from the authenticator (or a recovery code)."""

    template_name = "registration/second_factor_code.html"

    def get(self, request):
        user, _data = factors.pending(request)
        if user is None:
            return _lapsed(request)
        return render(request, self.template_name, {"form": CodeForm(), "pending_user": user})

    def post(self, request):
        user, _data = factors.pending(request)
        if user is None:
            return _lapsed(request)
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            factors.abandon(request)
            return locked_out(request, credentials=credentials)
        form = CodeForm(request.POST)
        how = form.is_valid() and factors.verify(request, user, form.cleaned_data["code"])
        if not how:
            request.login_failure = {"step": "code"}
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                factors.abandon(request)
                return locked_out(request, credentials=credentials)
            form.add_error(
                "code", _("验证码不正确、已过期或已经用过，请输入验证器中当前显示的验证码。")
            )
            return render(
                request, self.template_name, {"form": form, "pending_user": user}, status=200
            )
        return _finish(request, user, how)


@method_decorator(never_cache, name="dispatch")
class EnrolView(View):
    """Enrolment of an authenticator: right after the password for a role that must have one,
    or from the account page for anyone who chooses to."""

    template_name = "registration/second_factor_enrol.html"

    def person(self, request):
        """(user, pending data or None), or (None, None)."""
        if request.user.is_authenticated:
            return request.user, None
        return factors.pending(request)

    def page(self, request, user, data, form, status=200):
        device = factors.enrolment_device(user, self.device_id(request, data))
        if data is not None:
            data["device"] = device.pk
            request.session[factors.PENDING] = data
        else:
            request.session[factors.ENROLLING] = device.pk
        context = {
            "form": form,
            "qr": factors.qr_svg(device),
            "secret": factors.secret_text(device),
            "pending_user": user,
            "required": factors.required(user),
        }
        return render(request, self.template_name, context, status=status)

    def form_class(self, request, data):
        """Logged in already (enrolling by choice): the password again, so that a session left
        open cannot bind someone else's authenticator to the account."""
        if data is None and request.user.has_usable_password():
            return ConfirmingCodeForm
        return FirstCodeForm

    def device_id(self, request, data):
        if data is not None:
            return data.get("device")
        return request.session.get(factors.ENROLLING)

    def get(self, request):
        user, data = self.person(request)
        if user is None:
            return _lapsed(request)
        if factors.enrolled(user):
            return redirect("second_factor" if data is None else "login_code")
        return self.page(request, user, data, self.form_class(request, data)())

    def post(self, request):
        user, data = self.person(request)
        if user is None:
            return _lapsed(request)
        if factors.enrolled(user):
            return redirect("second_factor" if data is None else "login_code")
        form = self.form_class(request, data)(request.POST, request=request)
        if not form.is_valid():
            return self.page(request, user, data, form)
        device = factors.enrolment_device(user, self.device_id(request, data))
        codes = factors.confirm(request, user, device, form.cleaned_data["code"])
        if not codes:
            form.add_error(
                "code",
                _(
                    "验证码不正确。请确认已用验证器扫描本页的二维码（或输入了密钥），再输入它当前显示的 6 位数字。"
                ),
            )
            return self.page(request, user, data, form)
        request.session.pop(factors.ENROLLING, None)
        if data is not None:
            response = _finish(request, user, "totp")
            request.session[factors.RECOVERY_CODES_TO_SHOW] = {"codes": codes, "next": response.url}
        else:
            request.session[factors.VERIFIED] = "totp"
            request.session[factors.RECOVERY_CODES_TO_SHOW] = {
                "codes": codes,
                "next": reverse("second_factor"),
            }
        return redirect("second_factor_recovery")


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(LoginRequiredMixin, View):
    """The ten recovery codes, shown once, right after enrolment."""

    def get(self, request):
        shown = request.session.pop(factors.RECOVERY_CODES_TO_SHOW, None)
        if not shown:
            return redirect("second_factor")
        return render(
            request,
            "registration/second_factor_recovery.html",
            {"codes": shown["codes"], "next": safe_next(request, shown["next"])},
        )


@method_decorator(never_cache, name="dispatch")
class SecondFactorView(LoginRequiredMixin, View):
    """The account's second factor: whether it is on, and how many recovery codes are left."""

    def get(self, request):
        user = request.user
        return render(
            request,
            "registration/second_factor.html",
            {
                "enrolled": factors.enrolled(user),
                "required": factors.required(user),
                "codes_left": factors.recovery_codes_left(user),
            },
        )


class LogoutView(auth_views.LogoutView):
    """Log-out; after a log-in through CAS, the browser goes on to the platform's log-out."""

    def post(self, request, *args, **kwargs):
        via = request.session.get(cas.VIA)
        cas.forget_ticket(request.session.session_key)
        response = super().post(request, *args, **kwargs)
        if via == "cas" and settings.CAS_SERVER_URL:
            return redirect(cas.logout_url(request, request.build_absolute_uri(reverse("login"))))
        return response


class CASLoginView(View):
    """The CAS service address: sends the browser to the platform, takes its ticket back; and
    receives the platform's single log-out (a POST of ``logoutRequest``)."""

    # The platform's single log-out is a POST from its server, with no form token.
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        if not settings.CAS_SERVER_URL:
            raise Http404("CAS single sign-on is off")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        if cas.single_log_out(request.POST.get("logoutRequest", "")) is None:
            return HttpResponseBadRequest("logoutRequest refused")
        return HttpResponse("ok\n", content_type="text/plain")

    def get(self, request):
        next_page = safe_next(request, request.GET.get("next"))
        if request.user.is_authenticated:
            return redirect(next_page)
        service = get_service_url(request, next_page)
        ticket = request.GET.get("ticket")
        if not ticket:
            return redirect(get_cas_client(service_url=service, request=request).get_login_url())
        user = authenticate(request, ticket=ticket, service=service)
        if user is None:
            failure = getattr(request, "login_failure", None) or {"reason": "ticket_refused"}
            reason = failure.get("reason", "ticket_refused")
            status = 502 if reason in ("timeout", "unreachable", "malformed") else 403
            return render(
                request,
                "registration/cas_refused.html",
                {"reason": cas.refusal_text(reason), "code": reason},
                status=status,
            )
        step = None if request.cas_strong else factors.next_step(user)
        factors.begin(request, user, via="cas", ticket=ticket, next=next_page)
        if step is None:
            return _finish(request, user, "cas" if request.cas_strong else None)
        return redirect("login_code" if step == "code" else "login_enrol")
