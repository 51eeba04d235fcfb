import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def seed_from_chinese_calendar(apps, schema_editor):
    """Holidays and 调休 make-up days for every year chinese-calendar knows."""
    from chinese_calendar import constants

    names = {holiday.value[0]: holiday.value[1] for holiday in constants.Holiday}
    CalendarDay = apps.get_model("plans", "CalendarDay")
    rows = [
        CalendarDay(date=day, kind="holiday", name=names.get(name, name))
        for day, name in constants.holidays.items()
        if day.weekday() < 5
    ]
    rows += [
        CalendarDay(date=day, kind="workday", name=names.get(name, name)) for day, name in constants.workdays.items()
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(unique=True, verbose_name="日期")),
                (
                    "kind",
                    models.CharField(
                        choices=[("holiday", "放假"), ("workday", "调休上班")], max_length=10, verbose_name="类型"
                    ),
                ),
                ("name", models.CharField(blank=True, help_text="如:春节、国庆节", max_length=30, verbose_name="节日")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="修改时间")),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="修改人",
                    ),
                ),
            ],
            options={"verbose_name": "节假日与调休", "verbose_name_plural": "节假日与调休", "ordering": ["date"]},
        ),
        migrations.RunPython(seed_from_chinese_calendar, migrations.RunPython.noop),
    ]
