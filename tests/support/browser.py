"""People in a real browser (Playwright driving Chromium), and what a page must do on a phone."""

import time

from playwright.sync_api import expect

from .factors import code, enrol

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PHONE_WIDTH = SCREENS["phone"]["width"]
# Screens a test asks for by name, beyond those the journeys run at: an office's laptop, the
# width the clerks' own screens have (kept out of SCREENS, which journeys are run over).
VIEWPORTS = {**SCREENS, "office": {"width": 1366, "height": 768}}


class Person:
    """One person's browser at one screen size; what the policy blocks and script errors are
    noted as pages load."""

    def __init__(self, browser, base, screen, javascript=True):
        self.base = base
        self.context = browser.new_context(
            locale="zh-CN", viewport=VIEWPORTS[screen], java_script_enabled=javascript
        )
        self.page = self.context.new_page()
        self.problems = []
        self.page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.problems.append(message.text)
            ),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def log_in(self, username, password="pw"):
        return log_in(self.page, self.base, username, password)

    def open(self, path):
        response = self.page.goto(self.base + path)
        assert response.status == 200, f"{path} answered {response.status}"
        return self.page


def fits_the_phone(page):
    """The page is no wider than the phone, and no short cell of a table breaks its Chinese
    one character per line (its tables scroll inside their own box instead)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"
    lonely = page.evaluate(LONELY_CHARACTERS)
    assert lonely == [], f"{page.url}: cells broken one character per line: {lonely}"


# Cells of at most ten characters where one Chinese character stands on a line without another.
LONELY_CHARACTERS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    const text = cell.textContent.trim();
    if (text.length < 2 || text.length > 10 || !/[\\u4e00-\\u9fff]/.test(text)) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (!/[\u4e00-\u9fff]/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0) continue;
        const top = Math.round(rect.top);
        lines.set(top, (lines.get(top) || 0) + 1);
      }
    }
    if (lines.size > 1 && [...lines.values()].some((count) => count === 1)) found.push(text);
  }
  return found;
}"""


def log_in(page, base, username, password="pw"):
    """The log-in page, and the second factor's page when the role needs one (an
    authenticator is enrolled for the user beforehand, as the person did once)."""
    device = _authenticator_if_required(username)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_label("密码").press("Enter")
    if device is not None:
        expect(page).to_have_url(f"{base}/accounts/login/code/")
        page.get_by_label("验证码").fill(next_code(device))
        page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(f"{base}/")
    return page


def _authenticator_if_required(username):
    from django.contrib.auth import get_user_model

    from accounts import factors

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not (factors.required(user) or factors.enrolled(user)):
        return None
    return enrol(user)


def next_code(device):
    """The code the authenticator shows next: a code is used once, so a second log-in within
    the same 30 s takes the next step's (which the portal accepts, one step of drift)."""
    device.refresh_from_db()
    now_step = int(time.time()) // 30
    return code(device, step_offset=max(0, device.last_t + 1 - now_step))
