"""Fixtures for the whole suite: personas, the demo county, and a real Chromium."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from luoshi.testing import make_personas

CHROMIUM = os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _collected_static(django_test_environment):
    # Tests run with DEBUG off, as production does: whitenoise serves the collected, hashed files.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing costs a third of a second per login; the rules under test do not depend on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _rate_limits_reset():
    # Each test starts with no requests counted against the rate limits (luoshi/lib/security.py).
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads land in a folder of the test's own, never in var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the holidays the first migration seeds, once a committing test's flush has emptied them.

    A browser or other transactional test ends with pytest-django's flush, which deletes every row, the
    migration's calendar included; the tests after it would count 元旦 or 国庆 as working days.
    """
    yield
    if nextitem is None:
        return  # the last test: the session's teardown has dropped the test database already
    marker = item.get_closest_marker("django_db")
    if "transactional_db" not in item.fixturenames and not (marker and marker.kwargs.get("transaction")):
        return
    following = nextitem.get_closest_marker("django_db")
    if following and following.kwargs.get("serialized_rollback"):
        return  # the next test loads the serialized database, calendar included, into the flushed one
    import importlib

    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    from luoshi.lib import workdays
    from luoshi.plans.models import CalendarDay

    with item.config.stash[blocking_manager_key].unblock():
        if not CalendarDay.objects.exists():
            importlib.import_module("luoshi.plans.migrations.0001_initial").seed_from_chinese_calendar(apps, None)
    workdays.forget()


@pytest.fixture(autouse=True)
def _audit_trace_emptied_after_commits(request):
    """A committing test's flush on SQLite DELETEs every row, which the trace's trigger refuses: empty it first.

    Requesting transactional_db here makes this teardown run before pytest-django's flush.
    """
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" not in request.fixturenames and not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        from luoshi.audit.testing import wipe_trace

        wipe_trace()


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def demo(db):
    from luoshi.org.demo import demo_load

    demo_load()


@pytest.fixture
def demo_county(db):
    """The demo county's organisation (units, aliases, leaders, logins) without its tasks: a tenth of the time."""
    from luoshi.org.demo import demo_load

    demo_load(with_tasks=False)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"找不到 Chromium({CHROMIUM}):请先 apt-get install chromium(.ci/run 会安装)。")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def live_site(transactional_db):
    """The site served as in production, static files by whitenoise from the collected, hashed files.

    pytest-django's `live_server` puts Django's development static handler in
    front, which cannot serve hashed names; this server has none.
    """
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("localhost", static_handler=lambda handler: handler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


@pytest.fixture
def page(browser, live_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    path = Path(__file__).resolve().parent / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def publish_screenshot(source: Path) -> None:
    """`make screenshot` refreshes the README's picture from the browser test."""
    if os.environ.get("LUOSHI_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(source, Path(__file__).resolve().parent / "docs" / "screenshot.png")


_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(config, items):
    """With LUOSHI_DATABASE_TESTS_ONLY=1, run only the tests that touch the database.

    scripts/test runs the suite on SQLite, then again on PostgreSQL: the second run is there to prove every
    feature on PostgreSQL, so the tests that never open a connection (parsers, the hostile-file corpus,
    LibreOffice renderings, lint-like checks) ran once already and are left out of it.
    """
    if os.environ.get("LUOSHI_DATABASE_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
