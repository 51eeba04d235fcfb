"""Triggers that refuse rewriting 来龙去脉 and a recorded 三重一大 decision (a correction is a new record)."""

from django.db import migrations

from luoshi.audit.triggers import pg_refuse, run_per_vendor, sqlite_refuse

TABLES = {
    "problems_problemhistory": "来龙去脉只能添加,不能改写",
    "problems_collectivedecision": "集体决策一经记录不得修改",
}

PG_FORWARD, PG_BACKWARD, SQLITE_FORWARD, SQLITE_BACKWARD = [], [], [], []
for table, message in TABLES.items():
    forward, backward = pg_refuse(
        table=table, trigger=f"{table}_no_update", function=f"{table}_refuse_update", message=message
    )
    PG_FORWARD += forward
    PG_BACKWARD += backward
    forward, backward = sqlite_refuse(table=table, trigger=f"{table}_no_update", message=message)
    SQLITE_FORWARD += forward
    SQLITE_BACKWARD += backward


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [
        run_per_vendor(
            {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
