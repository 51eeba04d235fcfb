"""Write today's per-unit snapshot of the live set, for the cockpit's trends. Safe to run more than once a day.

The scheduler runs it daily; run by hand it fills today if the scheduler missed it.
"""

from time import perf_counter

from django.core.management.base import BaseCommand

from luoshi.work.snapshots import unit_snapshot_take


class Command(BaseCommand):
    help = "生成今天各单位督办事项红黄绿灯数的快照(驾驶舱趋势图用;同一天重复运行不会重复生成)。"

    def handle(self, *args, **options):
        started = perf_counter()
        written = unit_snapshot_take()
        took = perf_counter() - started
        if written:
            self.stdout.write(f"已生成 {written} 个单位的今日快照,用时 {took:.1f} 秒。")
        else:
            self.stdout.write("今日快照已存在(或没有事项),未重复生成。")
