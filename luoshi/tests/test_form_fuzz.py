"""Every HTML form, filled with what a user can type or paste, answers without a server error.

The forms are found on the pages themselves (as a browser finds them), for the office and for a unit's
liaison; each is sent once per hostile value in every field it has: a NUL byte, a 1 MB string, emoji,
a huge number, an impossible date. A 4xx, a refusal on the page, or a redirect is fine; a 5xx is not.
"""

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
import time_machine

from luoshi.work import services
from luoshi.work.models import Task

HOSTILE = {
    "NUL": "进展\x00情况",
    "1 MB": "落" * (1024 * 1024 // 3),
    "emoji": "👍🏻进展顺利🚀" * 20,
    "huge number": "9" * 40,
    "negative": "-99999999999999999999",
    "impossible date": "2026-02-30",
    "year 0": "0000-01-01",
}
# Forms that end the session or send the user elsewhere: logging out, changing one's password.
SKIPPED_ACTIONS = ("/logout/", "/password/", "/login/")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.current, self.select = page, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = Form(self.page, attrs.get("action") or self.page, (attrs.get("method") or "get").lower())
            self.forms.append(self.current)
        elif self.current is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self.current.files.append(attrs["name"])
            elif kind not in ("checkbox", "radio", "submit", "button") or "checked" in attrs:
                self.current.fields.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "textarea":
            self.current.fields.setdefault(attrs["name"], "")
        elif tag == "select":
            self.select = attrs["name"]
            self.current.fields.setdefault(self.select, "")
        elif tag == "option" and self.select and not self.current.fields.get(self.select):
            self.current.fields[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(client, page: str) -> list[Form]:
    response = client.get(page)
    assert response.status_code == 200, page
    parser = _Forms(page)
    parser.feed(response.content.decode())
    return [form for form in parser.forms if not form.action.startswith(SKIPPED_ACTIONS)]


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel("2026-03-16 10:00 +0800", tick=False):
        yield


def _fuzz(client, pages: list[str]) -> tuple[int, list[str]]:
    client.raise_request_exception = False
    sent, errors = 0, []
    for page in pages:
        for form in forms_on(client, page):
            for label, value in HOSTILE.items():
                data = {name: ("" if name == "csrfmiddlewaretoken" else value) for name in form.fields}
                data.pop("csrfmiddlewaretoken", None)
                if form.method == "post":
                    response = client.post(form.action, data)
                else:
                    response = client.get(form.action, {k: v[:2000] for k, v in data.items()})
                sent += 1
                if response.status_code >= 500:
                    errors.append(f"{form.method.upper()} {form.action} ({label}) from {page}: {response.status_code}")
    return sent, errors


def test_no_form_gives_a_server_error_whatever_is_typed(client, personas):
    task = services.task_create(
        spec=services.TaskSpec(title="全县河湖保洁专项行动", lead=personas.finance, deadline=date(2026, 6, 30)),
        by=personas.office,
    )
    signed = services.task_create(
        spec=services.TaskSpec(title="推进老旧小区改造", lead=personas.finance, deadline=date(2026, 3, 18)),
        by=personas.office,
    )
    services.task_sign(task=signed, by=personas.liaison)

    client.force_login(personas.liaison)
    sent, errors = _fuzz(client, ["/work/inbox/", "/work/week/", f"/work/{task.pk}/", f"/work/{signed.pk}/"])
    client.force_login(personas.office)
    more, office_errors = _fuzz(
        client,
        ["/work/", "/work/new/", f"/work/{signed.pk}/", f"/work/{signed.pk}/split/", "/work/units/",
         "/plans/calendar/", "/org/account/", f"/org/units/{personas.finance.pk}/edit/", "/ledger/import/",
         "/intake/", "/reports/notices/new/"],
    )  # fmt: skip

    print(f"{sent + more} requests")
    assert sent + more > 100, "the pages' forms were found and sent"
    assert errors + office_errors == []
    assert not any("\x00" in title for title in Task.objects.values_list("title", flat=True))
