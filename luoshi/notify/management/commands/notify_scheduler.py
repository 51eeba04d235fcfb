import signal
import time

from django.core.management.base import BaseCommand

from luoshi.notify.scheduler import tick


class Command(BaseCommand):
    help = "定时任务:每个工作日生成到期提醒,每分钟补发到期的消息(可多实例运行,同一周期只执行一次)。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只执行一轮后退出")
        parser.add_argument("--interval", type=float, default=30, help="两轮之间的秒数(默认 30)")

    def handle(self, *, once: bool, interval: float, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while self.running:
            for job in tick():
                self.stdout.write(f"已排入:{job}")
            if once:
                break
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(0.5)
                slept += 0.5
