"""Two people acting on the same thing at the same moment: one wins, the other is told, nothing is done twice.

Each thread has its own database connection. On SQLite the settings use
"transaction_mode": "IMMEDIATE", so the second writer waits for the first;
on PostgreSQL the row locks and the conditional UPDATE do the same.
"""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.models import User
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import (
    ClosureRequest,
    Decision,
    ExtensionRequest,
    ProgressReport,
    SubmitToken,
    Task,
    TimelineEntry,
)

# serialized_rollback keeps the working-day calendar that migrations seeded, which a flush would remove.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TZ = ZoneInfo("Asia/Shanghai")
Action = TimelineEntry.Action
ROUNDS = 4


@pytest.fixture(autouse=True)
def clock(time_machine, settings):
    settings.LUOSHI_WARNING_WORKDAYS = 3
    settings.LUOSHI_SIGN_WORKDAYS = 2
    time_machine.move_to(datetime(2026, 3, 16, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def second_office(personas):
    user = User(username="fiona", name="督查室王芳", role=User.Role.OFFICE)
    user.set_unusable_password()
    user.save()
    return user


def at_once(*calls) -> list[tuple[str, object]]:
    """Run the calls in threads released together; each result is ("ok", value) or ("error", exception)."""
    start = threading.Barrier(len(calls))
    results: list[tuple[str, object] | None] = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=30)
            results[index] = ("ok", call())
        except BaseException as exc:  # noqa: BLE001 — handed to the test to judge
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is still waiting"
    return results


def reraise_unexpected(results) -> None:
    """An error that is not a refusal is the test's failure, raised as itself."""
    for kind, value in results:
        if kind == "error" and not isinstance(value, ActionError):
            raise value


def one_winner(results) -> tuple[int, Exception]:
    reraise_unexpected(results)
    winners = [i for i, (kind, _) in enumerate(results) if kind == "ok"]
    losers = [value for kind, value in results if kind == "error"]
    assert len(winners) == 1, results
    assert len(losers) == len(results) - 1, results
    for error in losers:
        assert isinstance(error, ActionError), repr(error)
    return winners[0], losers[0]


def make_task(personas, title="推进财政数字化改革", **fields) -> Task:
    fields.setdefault("deadline", date(2026, 6, 30))
    task = services.task_create(
        spec=services.TaskSpec(title=title, lead=personas.finance, **fields), by=personas.office
    )
    services.task_sign(task=task, by=personas.liaison)
    return Task.objects.get(pk=task.pk)


def test_two_office_users_deciding_one_closure_at_once_get_one_decision(personas, second_office):
    for round_ in range(ROUNDS):
        task = make_task(personas, f"办结并发{round_}")
        request = services.task_closure_ask(task=task, by=personas.liaison, summary="已全部完成")
        approve_copy = ClosureRequest.objects.get(pk=request.pk)
        return_copy = ClosureRequest.objects.get(pk=request.pk)

        results = at_once(
            lambda r=approve_copy: work_office.closure_decide(request=r, approve=True, by=personas.office),
            lambda r=return_copy: work_office.closure_decide(
                request=r, approve=False, by=second_office, note="请补充验收材料"
            ),
        )
        winner, error = one_winner(results)
        assert "已由" in error.message
        assert "处理" in error.message
        assert "未生效" in error.message
        assert error.status == 409

        task.refresh_from_db()
        request.refresh_from_db()
        decisions = list(TimelineEntry.objects.filter(task=task, action__in=[Action.CLOSE, Action.RETURN]))
        assert len(decisions) == 1
        if winner == 0:
            assert (request.status, request.decided_by) == (Decision.APPROVED, personas.office)
            assert (task.status, task.done_on, task.done_on_time, task.percent) == (
                Task.Status.DONE,
                date(2026, 3, 16),
                True,
                100,
            )
            assert (decisions[0].action, decisions[0].actor) == (Action.CLOSE, personas.office)
            assert personas.office.name in error.message
        else:
            assert (request.status, request.decided_by) == (Decision.REJECTED, second_office)
            assert (request.decision_note, task.status, task.done_on) == ("请补充验收材料", Task.Status.RETURNED, None)
            assert (decisions[0].action, decisions[0].actor) == (Action.RETURN, second_office)
            assert second_office.name in error.message
        assert task.held_green is False


def test_two_office_users_deciding_one_extension_at_once_get_one_decision(personas, second_office):
    task = make_task(personas, deadline=date(2026, 3, 27))
    request = services.task_extension_ask(
        task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=date(2026, 4, 30)
    )
    approve_copy = ExtensionRequest.objects.get(pk=request.pk)
    deny_copy = ExtensionRequest.objects.get(pk=request.pk)
    results = at_once(
        lambda: work_office.extension_decide(request=approve_copy, approve=True, by=personas.office),
        lambda: work_office.extension_decide(request=deny_copy, approve=False, by=second_office, note="理由不充分"),
    )
    winner, error = one_winner(results)
    assert "已由" in error.message
    task.refresh_from_db()
    decisions = TimelineEntry.objects.filter(
        task=task, action__in=[Action.EXTENSION_APPROVE, Action.EXTENSION_DENY]
    ).count()
    assert decisions == 1
    assert task.status == Task.Status.IN_PROGRESS
    assert task.deadline == (date(2026, 4, 30) if winner == 0 else date(2026, 3, 27))


def test_the_same_report_form_sent_twice_at_once_makes_one_report(personas):
    for round_ in range(ROUNDS):
        task = make_task(personas, f"反馈并发{round_}", cadence="weekly", cadence_day=5)
        token = f"report-form-{round_}"

        def send(task=task, token=token):
            return services.task_report(
                task=task,
                by=personas.liaison,
                report=services.ReportInput(done_text="完成需求调研", percent=30),
                token=token,
            )

        results = at_once(send, send)
        _, error = one_winner(results)
        assert isinstance(error, AlreadySubmitted)
        assert "已经提交过" in error.message
        assert ProgressReport.objects.filter(task=task).count() == 1
        assert TimelineEntry.objects.filter(task=task, action=Action.REPORT).count() == 1
        assert SubmitToken.objects.filter(token=token).count() == 1
        task.refresh_from_db()
        assert (task.percent, task.next_report_due) == (30, date(2026, 3, 27))


def test_two_different_reports_at_once_take_turns_on_the_due_date(personas, second_office):
    task = make_task(personas, cadence="weekly", cadence_day=5)
    results = at_once(
        lambda: services.task_report(
            task=task, by=personas.liaison, report=services.ReportInput(done_text="单位填报"), token="a"
        ),
        lambda: services.task_report(
            task=task, by=second_office, report=services.ReportInput(done_text="督查室代报"), token="b"
        ),
    )
    reraise_unexpected(results)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    # The second to write saw the first's effect: it reported against the next week's due date.
    assert sorted(ProgressReport.objects.filter(task=task).values_list("due", flat=True)) == [
        date(2026, 3, 20),
        date(2026, 3, 27),
    ]
    task.refresh_from_db()
    # Two reports in one week answer that week once: the next week is not skipped.
    assert task.next_report_due == date(2026, 3, 27)
    assert TimelineEntry.objects.filter(task=task, action=Action.REPORT).count() == 2
