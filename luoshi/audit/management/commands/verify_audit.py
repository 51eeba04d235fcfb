"""Walk the trace's hash chain and name the first entry changed, deleted or inserted."""

from django.core.management.base import BaseCommand, CommandError

from luoshi.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验留痕哈希链:逐条核对,指出第一条被修改、删除或插入的记录。"

    def handle(self, *args, **options):
        checked, problem = verify_chain()
        if problem:
            raise CommandError(f"留痕校验未通过:{problem}(此前 {checked} 条完好)")
        self.stdout.write(f"留痕校验通过:共 {checked} 条,哈希链完整。")
