"""Browser tests: Playwright driving Debian's Chromium (browsers cannot be downloaded here)."""

import os
from pathlib import Path

import pytest

from tests.support.browser import Person

# The live server's ORM is used from the test thread while Playwright runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Screenshots are kept as test artefacts (never committed): in TEST_ARTIFACTS when it is set
# (a CI keeps that folder), else in test-artifacts/ at the top of the checkout (ignored by git).
ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: `make test` installs Debian's chromium package"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot as a test artefact (not committed)."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    count = {"n": 0}

    def take(page, name):
        count["n"] += 1
        page.screenshot(path=str(folder / f"{count['n']:02d}-{name}.png"), full_page=True)

    return take


@pytest.fixture
def people(browser, live_server):
    """people(screen, javascript=True): a browser for one person; all closed after the test."""
    opened = []

    def start(screen, javascript=True):
        opened.append(Person(browser, live_server.url, screen, javascript))
        return opened[-1]

    yield start
    for person in opened:
        # Open connections would reach the live server after its test and its database.
        person.context.close()
    problems = [problem for person in opened for problem in person.problems]
    assert not problems, "\n".join(problems)
