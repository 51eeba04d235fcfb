"""Walk the trace's hash chain and name the first entry changed, deleted or inserted; check archive files too."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.audit.archive import verify_archive
from luoshi.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验留痕哈希链:逐条核对,指出第一条被修改、删除或插入的记录;--archive 同时校验归档文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--archive", action="append", default=[], metavar="文件", help="要校验的归档文件,可多次给出"
        )

    def handle(self, *args, **options):
        for name in options["archive"]:
            checked, problem = verify_archive(Path(name))
            if problem:
                raise CommandError(f"归档文件 {name} 校验未通过:{problem}(此前 {checked} 条完好)")
            self.stdout.write(f"归档文件 {name} 校验通过:{checked} 条留痕,签名有效。")
        checked, problem = verify_chain()
        if problem:
            raise CommandError(f"留痕校验未通过:{problem}(此前 {checked} 条完好)")
        self.stdout.write(f"留痕校验通过:共 {checked} 条,哈希链完整。")
