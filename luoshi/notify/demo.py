"""The demo county's notices with 回执 and a unit head, made through the real services. Safe to run again.

- 财政局 records its head (单位负责人), with an account `unithead` (password as the other demo logins);
- the office issues a 督办通知单 on two of 财政局's late tasks (red, else yellow);
- the liaison `unit` opens the first and confirms its 回执; the second stays unread and unconfirmed,
  so that the office's notice list has one to re-send and the task pages show both states.
"""

from django.db import transaction

from luoshi.org.models import Unit, User
from luoshi.work.models import Light, Task

DEMO_HEAD = ("unithead", "陈志强", "13905710688")
DEMO_MESSAGE = "该事项已逾期,请于三个工作日内报送整改措施和完成时间,并确认回执。"


@transaction.atomic
def demo_notify_load() -> int:
    """Returns how many notices it issued (0 when the demo has them already)."""
    from luoshi.lib import workdays
    from luoshi.org.demo import DEMO_PASSWORD
    from luoshi.reports import services as reports
    from luoshi.reports.models import Notice

    from . import services

    finance = Unit.objects.filter(name="财政局").first()
    office = User.objects.filter(username="office").first()
    liaison = User.objects.filter(username="unit").first()
    if finance is None or office is None or liaison is None:
        return 0
    username, name, mobile = DEMO_HEAD
    Unit.objects.filter(pk=finance.pk).update(head_name=name, head_mobile=mobile)
    head = User.objects.filter(username=username).first()
    if head is None:
        head = User(username=username, name=name, role=User.Role.UNIT, unit=finance, is_unit_head=True, phone=mobile)
        head.set_password(DEMO_PASSWORD)
        head.save()
    if Notice.objects.filter(message=DEMO_MESSAGE).exists():
        return 0
    t = workdays.thresholds()
    mine = Task.objects.filter(lead_unit=finance).order_by("deadline", "pk")
    late = [
        *mine.filter(Task.objects.light_q(Light.RED, t))[:2],
        *mine.filter(Task.objects.light_q(Light.YELLOW, t))[:2],
    ]
    if not late:
        return 0
    notices = reports.notice_create(kind=Notice.Kind.SUPERVISE, tasks=late[:2], by=office, message=DEMO_MESSAGE)
    services.notice_read(notice=notices[0], by=liaison)
    services.notice_confirm(notice=notices[0], by=liaison)
    return len(notices)
