import pytest
from django.contrib.auth import get_user_model

from cities.models import ReportingUnit

from .support.factories import UserFactory
from .support.helpers import on_the_postgresql_leg, postgresql_verdict, runs_on_the_postgresql_leg


def pytest_configure(config):
    # The personas log in as production's users do: with the second factor their roles need.
    from .support.factors import verify_forced_log_ins

    verify_forced_log_ins()
    config.addinivalue_line(
        "markers",
        "postgresql(reason): needs PostgreSQL; skipped on SQLite, but fails where the CI's "
        "PostgreSQL leg sets CI_REQUIRE_POSTGRES=1",
    )


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Each test starts in the portal's language: a request in English leaves its language
    active in the thread, as Django's own locale middleware does."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database is rolled back after it, and a page
    cached for one test's data must not meet another test's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def units(db):
    """Every reporting unit by short name (loaded by the data migration)."""
    return {unit.short_name: unit for unit in ReportingUnit.objects.all()}


@pytest.fixture
def viewer(db):
    """A logged-in user with no special role."""
    return UserFactory(username="viewer")


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def make_submitter(db):
    """A 市级填报员 of the given units."""
    from django.contrib.auth.models import Group

    from accounts.roles import SUBMITTER_GROUP

    def make(username, *units):
        user = UserFactory(username=username, email=f"{username}@example.org")
        user.groups.add(Group.objects.get(name=SUBMITTER_GROUP))
        for unit in units:
            unit.submitters.add(user)
        return user

    return make


@pytest.fixture
def zhengzhou_submitter(make_submitter, units):
    return make_submitter("zhengzhou", units["郑州"])


@pytest.fixture
def luoyang_submitter(make_submitter, units):
    return make_submitter("luoyang", units["洛阳"])


@pytest.fixture
def reviewer(db):
    from django.contrib.auth.models import Group

    from accounts.roles import REVIEWER_GROUP

    user = UserFactory(username="reviewer", email="reviewer@example.org")
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


def _in_group(username, group_name):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    user.refresh_from_db()  # is_staff follows from the role
    return user


@pytest.fixture
def administrator_user(db):
    """A 系统管理员 (not a superuser): the admin site for the business's settings, no accounts,
    no reviewing."""
    from accounts.roles import ADMINISTRATOR_GROUP

    return _in_group("provadmin", ADMINISTRATOR_GROUP)


@pytest.fixture
def security_user(db):
    """A 安全管理员: accounts, roles, units and unlocking in the admin; no business data."""
    from accounts.roles import SECURITY_GROUP

    return _in_group("security", SECURITY_GROUP)


@pytest.fixture
def auditor_user(db):
    """A 审计管理员: the audit trail's page, nothing else."""
    from accounts.roles import AUDITOR_GROUP

    return _in_group("auditor", AUDITOR_GROUP)


@pytest.fixture
def open_period(db):
    """The 2021 period, open today, deadline in ten days."""
    import datetime

    from django.utils import timezone

    from .support.factories import ReportingPeriodFactory

    today = timezone.localdate()
    return ReportingPeriodFactory(
        year=2021,
        opens_on=today - datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=10),
    )


def load_reference_data():
    """The reporting units and role groups the migrations load, loaded again when missing."""
    import importlib

    from django.apps import apps

    from accounts.groups import ensure_groups

    if not ReportingUnit.objects.exists():
        migration = importlib.import_module("cities.migrations.0002_henan_reporting_units")
        migration.load_units(apps, None)
    ensure_groups()


@pytest.fixture
def reference_data(transactional_db):
    """For tests on a transactional database, which is emptied after each such test: what
    the migrations load (``pytest_runtest_setup`` loads it again for the next test)."""
    load_reference_data()


def _uses_a_transactional_database(item):
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & names
        or (marker is not None and marker.kwargs.get("transaction"))
    )


class _Emptied:
    """Whether a transactional test emptied the database since the reference data was loaded."""

    since_load = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _uses_a_transactional_database(item):
        _Emptied.since_load = True


def _load_reference_data_again(item):
    """A transactional test ends by emptying every table, the units the migrations loaded
    included: they are loaded again before the next test that uses the database, so that it
    finds the database as the migrations left it whatever the order (and whichever worker
    runs it)."""
    if not (_Emptied.since_load and _uses_db(item)):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        load_reference_data()
    _Emptied.since_load = False


# ── The demo data, loaded once per module and shared by the tests that only read it ──────

# The shared demos, by fixture name: loaddemo with DEBUG on (a local demo: the demo accounts
# and the open 2021 period too) or off (what a server loads: the 2020 figures, the peer
# provinces and the circulars 豫知〔2021〕8号 and 9号).
DEMO_FIXTURES = {"local_demo": True, "published_demo": False}


class SharedDemo:
    """``loaddemo``, loaded once and read by many tests.

    It is loaded inside an outer transaction that is never committed, as Django's
    ``setUpTestData`` does: each test still runs in its own transaction (a savepoint inside
    the outer one) that is rolled back after it, so a test may change the demo freely. When
    no test needs the demo any more the outer transaction is rolled back, and the database
    is again as the migrations left it, on SQLite and PostgreSQL alike.

    A test module may add its own data on top (``add_layer``): it is loaded in a savepoint of
    its own, and again whenever the demo is reloaded.
    """

    def __init__(self):
        self.blocker = None
        self.wanted = set()  # the variants (DEBUG on or off) whose module is running
        self.debug = None  # the variant loaded
        self.atomic = None  # the outer transaction while a demo is loaded
        self.layers = []  # [debug, function, its savepoint]
        self.output = ""  # what loaddemo printed
        self.generation = 0  # bumped by every load: ids kept from an earlier load are stale

    @property
    def active(self):
        return self.atomic is not None

    def activate(self, debug):
        import io

        from django.conf import settings
        from django.core.management import call_command
        from django.db import transaction
        from django.test import override_settings
        from django.utils import translation

        assert not self.active
        out = io.StringIO()
        with self.blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
            self.atomic, self.debug = transaction.atomic(), debug
            self.atomic.__enter__()
            try:
                with override_settings(DEBUG=debug):
                    call_command("loaddemo", stdout=out)
                for layer in self.layers:
                    if layer[0] == debug:
                        layer[2] = self._apply(layer[1])
            except BaseException:
                self.deactivate()
                raise
        self.output = out.getvalue()
        self.generation += 1

    def deactivate(self):
        with self.blocker.unblock():
            for layer in reversed(self.layers):
                if layer[2] is not None:
                    self._roll_back(layer[2])
                    layer[2] = None
            self._roll_back(self.atomic)
        self.atomic = self.debug = None

    def add_layer(self, function):
        """Run ``function`` on top of the loaded demo now, and again after every reload."""
        from django.conf import settings
        from django.utils import translation

        assert self.active
        with self.blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
            self.layers.append([self.debug, function, self._apply(function)])

    def remove_layer(self, function):
        _debug, added, atomic = self.layers.pop()
        assert added is function, "layers are removed in the reverse order of their adding"
        if atomic is not None:
            with self.blocker.unblock():
                self._roll_back(atomic)

    @staticmethod
    def _apply(function):
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            function()
        except BaseException:
            SharedDemo._roll_back(atomic)
            raise
        return atomic

    @staticmethod
    def _roll_back(atomic):
        from django.db import connection, transaction

        assert connection.atomic_blocks and connection.atomic_blocks[-1] is atomic, (
            "a test left a transaction open over the shared demo"
        )
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


_shared_demo = SharedDemo()


def _uses_db(item):
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & names
    )


def _demo_wanted(item):
    """The shared demo the test asks for (DEBUG on or off), or None."""
    names = getattr(item, "fixturenames", ())
    return next((debug for name, debug in DEMO_FIXTURES.items() if name in names), None)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Within each run of one module's tests, those that share a demo go last, so that it is
    loaded once per module (pytest-django has already put the database tests first). On the
    CI's PostgreSQL leg, only the tests that can answer differently there run."""
    import os

    if on_the_postgresql_leg(os.environ):
        from pathlib import Path

        deselected = [
            item
            for item in items
            if not runs_on_the_postgresql_leg(_uses_db(item), Path(str(item.path)))
        ]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if item not in set(deselected)]

    def key(item):
        wanted = _demo_wanted(item)
        return 0 if wanted is None else 1 + wanted

    ordered, run = [], []
    for item in items:
        if run and getattr(item, "module", None) is not getattr(run[0], "module", None):
            ordered += sorted(run, key=key)
            run = []
        run.append(item)
    items[:] = ordered + sorted(run, key=key)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test: a database test sees the demo only if it asks for it,
    whatever the order the tests run in. A test that needs PostgreSQL is skipped (or fails)
    elsewhere before any of its fixtures runs."""
    _load_reference_data_again(item)
    marker = item.get_closest_marker("postgresql")
    if marker is not None:
        import os

        from django.db import connection

        reason = marker.args[0] if marker.args else "needs PostgreSQL"
        verdict = postgresql_verdict(connection.vendor, os.environ, reason)
        if verdict is not None:
            outcome, why = verdict
            (pytest.fail if outcome == "fail" else pytest.skip)(why)
    shared, wanted = _shared_demo, _demo_wanted(item)
    if shared.active and (wanted is None and _uses_db(item) or wanted not in (None, shared.debug)):
        shared.deactivate()
    if wanted in shared.wanted and not shared.active:
        shared.activate(wanted)


def _share_demo(debug, blocker):
    shared = _shared_demo
    shared.blocker = blocker
    shared.wanted.add(debug)
    if shared.active and shared.debug != debug:
        shared.deactivate()
    if not shared.active:
        shared.activate(debug)
    yield shared
    shared.wanted.discard(debug)
    if shared.active and shared.debug == debug:
        shared.deactivate()


@pytest.fixture(scope="module")
def local_demo(django_db_setup, django_db_blocker):
    """The local demo (loaddemo with DEBUG on), loaded once for this module's tests.

    Each test still runs in its own rolled-back transaction: ask for ``db`` as usual.
    """
    yield from _share_demo(True, django_db_blocker)


@pytest.fixture(scope="module")
def published_demo(django_db_setup, django_db_blocker):
    """The demo as a server loads it (DEBUG off: no accounts, no 2021), once for this module."""
    yield from _share_demo(False, django_db_blocker)


@pytest.fixture(scope="module")
def crawl_world(local_demo):
    """The local demo with the crawl's private markers and ids on top (``tests.support.crawl``),
    loaded once for the module: each test still runs in its own rolled-back transaction."""
    from tests.support import crawl

    local_demo.add_layer(crawl.add_markers)
    yield crawl.WORLD
    local_demo.remove_layer(crawl.add_markers)
