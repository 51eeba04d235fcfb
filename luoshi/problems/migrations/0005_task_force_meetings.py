"""专班 meetings become rows with their minutes and attendance; the old list of dates moves into them.

The old JSON field is renamed first so that the new reverse name (Problem.task_force_meetings) is free.
"""

from datetime import date

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def move_dates(apps, schema_editor):
    """Each old date becomes a meeting: held (without minutes) if already past, planned otherwise."""
    Problem = apps.get_model("problems", "Problem")
    Meeting = apps.get_model("problems", "TaskForceMeeting")
    today = timezone.localdate()
    rows = []
    for pk, days, by in Problem.objects.exclude(old_meeting_days=[]).values_list(
        "pk", "old_meeting_days", "created_by_id"
    ):
        for text in days or []:
            try:
                day = date.fromisoformat(str(text)[:10])
            except ValueError:
                continue
            held = day <= today
            rows.append(Meeting(
                problem_id=pk, day=day, topic="专班会议", created_by_id=by,
                status="held" if held else "planned",
                minutes="(由原“专班会议日期”迁移,未记录纪要)" if held else "",
            ))  # fmt: skip
    Meeting.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('problems', '0004_problem_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='problem', old_name='task_force_meetings', new_name='old_meeting_days'),
        migrations.AlterField(
            model_name='problem',
            name='task_force_members',
            field=models.TextField(blank=True, help_text='用顿号或逗号分隔', verbose_name='专班成员'),
        ),
        migrations.CreateModel(
            name='TaskForceMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='会议日期')),
                ('start', models.TimeField(blank=True, null=True, verbose_name='开始时间')),
                ('place', models.CharField(blank=True, max_length=100, verbose_name='地点')),
                ('topic', models.CharField(max_length=300, verbose_name='议题')),
                ('status', models.CharField(choices=[('planned', '已安排'), ('held', '已召开'), ('cancelled', '已取消')], default='planned', max_length=20, verbose_name='状态')),
                ('attendees', models.JSONField(blank=True, default=list, verbose_name='出席人员')),
                ('absent', models.JSONField(blank=True, default=list, help_text='[{姓名, 原因}]', verbose_name='缺席人员')),
                ('minutes', models.TextField(blank=True, verbose_name='会议纪要')),
                ('cancel_reason', models.TextField(blank=True, verbose_name='取消理由')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='安排时间')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='安排人')),
                ('problem', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='task_force_meetings', to='problems.problem', verbose_name='问题')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='纪要记录人')),
            ],
            options={
                'verbose_name': '专班会议',
                'verbose_name_plural': '专班会议',
                'ordering': ['day', 'start', 'id'],
                'indexes': [models.Index(fields=['day', 'id'], name='problems_ta_day_9b9f1e_idx'), models.Index(fields=['problem', 'day'], name='problems_ta_problem_90f6eb_idx')],
            },
        ),
        migrations.RunPython(move_dates, migrations.RunPython.noop),
        migrations.RemoveField(model_name='problem', name='old_meeting_days'),
    ]
