"""Shared test personas and helpers, in one place (as healthchecks' hc/test.py).

- `office`: the supervision office (督查室);
- `leader`: the 常务副县长, who 分管 the finance bureau;
- `liaison`: the liaison of the finance bureau (财政局);
- `outsider`: the liaison of 住房和城乡建设局, a unit the leader does not oversee;
- `admin`: an administrator.

Browser tests log the demo county's users in with `log_in` (on a page they have) or `browser_login`
(a new context, for a test that needs its own viewport, several users, or downloads).
"""

from dataclasses import dataclass
from pathlib import Path

from luoshi.org.demo import DEMO_PASSWORD
from luoshi.org.models import Leader, Unit, UnitAlias, User

PASSWORD = "Luoshi2026pw"

# The real sample documents, kept in the repository's samples/ with their sources (samples/README.md).
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@dataclass
class Personas:
    finance: Unit
    housing: Unit
    township: Unit
    leader_row: Leader
    office: User
    leader: User
    liaison: User
    outsider: User
    admin: User
    security: User
    auditor: User


def make_personas() -> Personas:
    finance = Unit.objects.create(
        name="财政局", short_name="财政局", kind=Unit.Kind.DEPARTMENT, order=10,
        liaison_name="赵敏", liaison_phone="0371-62000001", liaison_mobile="13900000001",
    )  # fmt: skip
    housing = Unit.objects.create(name="住房和城乡建设局", short_name="住建局", kind=Unit.Kind.DEPARTMENT, order=20)
    township = Unit.objects.create(name="城关镇", short_name="城关镇", kind=Unit.Kind.TOWNSHIP, order=10)
    UnitAlias.objects.create(unit=finance, alias="财政")
    leader_row = Leader.objects.create(name="李强", title="常务副县长", order=20, fields="财政、发展改革")
    leader_row.supervises.set([finance, township])

    def user(username, role, **extra):
        account = User(username=username, name=extra.pop("name", username), role=role, **extra)
        account.set_password(PASSWORD)
        account.save()
        return account

    return Personas(
        finance=finance,
        housing=housing,
        township=township,
        leader_row=leader_row,
        office=user("alice", User.Role.OFFICE, name="督查室刘洋"),
        leader=user("bob", User.Role.LEADER, leader=leader_row, name="李强"),
        liaison=user("charlie", User.Role.UNIT, unit=finance, name="赵敏"),
        outsider=user("dave", User.Role.UNIT, unit=housing, name="钱进"),
        admin=user("erin", User.Role.ADMIN, name="系统管理员"),
        security=user("frank", User.Role.SECURITY, name="安全保密管理员"),
        auditor=user("grace", User.Role.AUDITOR, name="安全审计员"),
    )


# The desk a browser test looks at unless it says otherwise: the conftest's `page` fixture has the same.
DESK = {"width": 1280, "height": 900}


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in on the login page as a person does (a demo county user by default), and wait for the home page."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")


def browser_login(browser, live_site: str, username: str, *, timeout: int = 15_000, **options):
    """A new browser context on the live site, logged in as `username`; returns (context, page).

    `options` go to Playwright's `new_context` over a zh-CN desk (viewport=…, is_mobile=True,
    accept_downloads=True …). The caller closes the context.
    """
    context = browser.new_context(**{"viewport": DESK, "locale": "zh-CN", "base_url": live_site, **options})
    context.set_default_timeout(timeout)
    page = context.new_page()
    log_in(page, username)
    return context, page
