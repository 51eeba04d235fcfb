"""Ask each responsible unit for its indicator's missing value: one task per indicator and period, never twice.

    manage.py rankings_missing_tasks --by office

Meant for the scheduler, monthly after the statistics bureau's 通报 is due.
"""

from django.core.management.base import BaseCommand, CommandError

from luoshi.lib.errors import ActionError
from luoshi.org.models import User
from luoshi.rankings.services import missing_value_tasks_create


class Command(BaseCommand):
    help = "为本县缺少最新一期数值的指标,向责任单位交办报送事项(同一指标同一期只交办一次)。"

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help="以哪个督查室账号交办(用户名)")

    def handle(self, *args, by, **options):
        user = User.objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的账号“{by}”。")
        try:
            tasks = missing_value_tasks_create(by=user)
        except ActionError as exc:
            raise CommandError(exc.message) from None
        for task in tasks:
            self.stdout.write(f"{task.lead_unit.display_name}:{task.title}")
        self.stdout.write(f"交办缺数报送事项 {len(tasks)} 项。")
