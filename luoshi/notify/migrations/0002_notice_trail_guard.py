"""A trigger that refuses any UPDATE of a notice's trail (留痕), as work's timeline has."""

from django.db import migrations

from luoshi.audit.triggers import pg_refuse, run_per_vendor, sqlite_refuse

# work.0002 defined the function that refuses; the trigger reuses it.
PG = pg_refuse(
    table="notify_noticetrail", trigger="notify_noticetrail_no_update", function="work_timeline_refuse_update",
    message=None,
)  # fmt: skip
SQLITE = sqlite_refuse(table="notify_noticetrail", trigger="notify_noticetrail_no_update", message="留痕记录不可修改")
FORWARD = {"postgresql": PG[0], "sqlite": SQLITE[0]}
BACKWARD = {"postgresql": PG[1], "sqlite": SQLITE[1]}


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial"), ("work", "0002_search_index_and_timeline_guard")]

    operations = [run_per_vendor(FORWARD, BACKWARD)]
