from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from luoshi.org.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_load
from luoshi.org.models import Unit


class Command(BaseCommand):
    help = "创建演示县“示范县”:单位、县领导和演示账号。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库里已有单位时什么也不做(make run 用)")
        parser.add_argument(
            "--demo-site", action="store_true",
            help="这是演示站点:明知演示账号的密码公开,在 DEBUG=0 下也载入(make run 用;正式环境切勿使用)",
        )  # fmt: skip

    def handle(self, *args, if_empty=False, demo_site=False, **options):
        if not settings.DEBUG and not demo_site:
            raise CommandError(
                "load_demo 只能在 DEBUG=1 时运行,或明确加 --demo-site(演示站点):"
                "演示账号的密码是公开的,不能进入正式环境。"
            )
        if if_empty and Unit.objects.exists():
            self.stdout.write("数据库里已有单位,跳过演示数据。")
            return
        counts = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"示范县已就绪:{counts['units']} 个单位,{counts['leaders']} 位县领导,{counts['users']} 个演示账号。"
            )
        )
        self.stdout.write(f"演示账号(密码均为 {DEMO_PASSWORD}):")
        for username, who in DEMO_LOGINS:
            self.stdout.write(f"  {username:<8} {who}")
