"""Write a synthetic county (or a province's worth of one) for benchmarks.

    python manage.py gen_tasks --tasks 1000000 --units 600 [--seed 1] [--years 10] [--append]

Units, leaders who 分管 them, an office user and liaisons for the first units, then
years of tasks with their assignments, progress reports, urges, requests and one 登记交办
timeline entry each. The shapes are those of a real county: a few units carry most of the
work, most past tasks are done, and this year's tasks show every status and every light.

Rows go in with COPY on PostgreSQL and with many-row INSERTs on SQLite, one transaction per
chunk of 10,000 tasks, so a million tasks take about ten minutes. The services are not used:
they write one task at a time with today's date, and history needs dates in the past.
Task.search_text is what task_search_text gives, as the services store it; SQLite's
full-text table is kept by its triggers, PostgreSQL's GIN index is an ordinary index.

Tasks are written in the order of time, as a real database receives them, so that a year's
rows lie together on disk. On PostgreSQL as superuser the foreign-key triggers are skipped
while writing and every key is checked at the end in one query per key; the tables are then
vacuumed and analysed, as autovacuum would leave them.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import (
    Assignment,
    Cadence,
    ClosureRequest,
    Decision,
    ExtensionRequest,
    Instruction,
    Light,
    ProgressReport,
    Task,
    TimelineEntry,
    Urge,
)
from luoshi.work.search import task_search_text

from ._gen_words import (
    CATEGORIES,
    DONE_TEXTS,
    GOALS,
    MEASURES,
    NEXT_STEPS,
    PREFIXES,
    PROBLEMS,
    SUFFIXES,
    TOPICS,
    URGE_TEXTS,
    VERBS,
)

PASSWORD = "luoshi2026"
# More tasks than this in the database and the command refuses, unless --append.
FEW_TASKS = 100
LIAISON_UNITS = 10
CHUNK = 10_000

Status = Task.Status


# Statuses of last year's tasks, of older years' and of this year's; weights, not percentages.
# A year's leftovers are carried into the next and mostly settled by the one after.
LAST_YEAR_STATUSES = [
    (Status.DONE, 78), (Status.CANCELLED, 8), (Status.IN_PROGRESS, 8), (Status.PAUSED, 4), (Status.RETURNED, 2),
]  # fmt: skip
OLDER_STATUSES = [
    (Status.DONE, 80), (Status.CANCELLED, 17), (Status.IN_PROGRESS, 2), (Status.PAUSED, 0.5), (Status.RETURNED, 0.5),
]  # fmt: skip
CURRENT_STATUSES = [
    (Status.DONE, 30), (Status.IN_PROGRESS, 38), (Status.ASSIGNED, 10), (Status.EXTENSION_ASKED, 3),
    (Status.CLOSURE_ASKED, 4), (Status.RETURNED, 4), (Status.PAUSED, 3), (Status.CANCELLED, 4), (Status.DRAFT, 4),
]  # fmt: skip
CURRENT_LIGHTS = [(Light.RED, 18), (Light.YELLOW, 22), (Light.GREEN, 60)]
SOURCE_KINDS = [
    (Task.SourceKind.SPEECH, 30), (Task.SourceKind.MINUTES, 30), (Task.SourceKind.WORK_REPORT, 20),
    (Task.SourceKind.INSTRUCTION, 10), (Task.SourceKind.OTHER, 10),
]  # fmt: skip
CADENCES = [(Cadence.MONTHLY, 50), (Cadence.QUARTERLY, 20), (Cadence.WEEKLY, 10), (Cadence.NONE, 20)]


def _weighted(pairs):
    values = [value for value, _ in pairs]
    cum, total = [], 0
    for _, weight in pairs:
        total += weight
        cum.append(total)
    return values, cum


# --- Writing rows fast --------------------------------------------------------


class _Sink:
    """Rows of one model, kept as dicts of attname → Python value and written in one go."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.columns = [field.column for field in fields]
        self.defaults = {field.attname: field.get_default() for field in fields if not field.primary_key}
        self.defaults["id"] = None
        vendor = connection.vendor
        self.converters = [_converter(field, vendor) for field in fields]
        self.rows: list[dict] = []
        self.written = 0

    def add(self, **values) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        defaults, attnames, converters = self.defaults, self.attnames, self.converters
        tuples = (
            tuple(
                convert(row[name] if name in row else defaults[name]) if convert else
                (row[name] if name in row else defaults[name])
                for name, convert in zip(attnames, converters, strict=True)
            )
            for row in self.rows
        )  # fmt: skip
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in tuples:
                        copy.write_row(values)
            else:
                # Many rows per INSERT, as bulk_create does: SQLite's full-text trigger then costs far less
                # than with executemany, where every row is a statement of its own.
                one = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
                per = max(1, 32_000 // len(self.columns))
                rows = list(tuples)
                for start in range(0, len(rows), per):
                    batch = rows[start : start + per]
                    cursor.execute(
                        f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(batch)),
                        [value for row in batch for value in row],
                    )
        self.written += len(self.rows)
        self.rows = []


def _converter(field, vendor):
    """How a Python value becomes what the database driver takes, as Django would store it."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        return lambda value: json.dumps(value, ensure_ascii=False)
    if vendor == "postgresql":
        return None  # psycopg adapts dates, aware datetimes, booleans and UUIDs itself
    if kind == "DateTimeField":
        return lambda value: None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))
    if kind == "DateField":
        return lambda value: None if value is None else value.isoformat()
    if kind == "UUIDField":
        return lambda value: None if value is None else value.hex
    return None


# --- The generator ----------------------------------------------------------


@dataclass
class _People:
    office: int
    liaison_of: dict[int, int]  # unit id → user id
    leader_of: dict[int, int]  # unit id → leader id
    leader_user_of: dict[int, int]  # leader id → user id
    leader_str: dict[int, str]


class Generator:
    def __init__(self, *, tasks: int, units: int, seed: int, years: int, out):
        self.n_tasks, self.n_units, self.years = tasks, units, years
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.moments: dict[date, list[datetime]] = {}
        self.part_texts: dict[str, str] = {}
        self.checks_left = 1000
        self.out = out
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.localtime()
        self.today = self.now.date()
        self.t = workdays.thresholds(self.today)
        self.first_year = self.today.year - years + 1
        self._cum_workdays()

    def say(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    # Working days as a running count, so that "working days between" is a subtraction.
    def _cum_workdays(self) -> None:
        cal = workdays.calendar()
        self.day0 = date(self.first_year - 1, 1, 1)
        end = self.today + timedelta(days=800)
        cum, dates, count, day = [], [], 0, self.day0
        while day <= end:
            if cal.is_workday(day):
                count += 1
            cum.append(count)
            dates.append(day)
            day += timedelta(days=1)
        self.cum, self.dates = cum, dates

    def workdays_between(self, start: date, end: date) -> int:
        return self.cum[(end - self.day0).days] - self.cum[(start - self.day0).days]

    def search_text(self, *parts: str) -> str:
        """task_search_text of the parts, from a cache of each part's own.

        Bigrams never span the space that task_search_text puts between parts, so the whole is
        the parts' texts joined; the first tasks are checked against the real thing to keep it so.
        """
        cache = self.part_texts
        texts = []
        for part in parts:
            text = cache.get(part)
            if text is None:
                text = task_search_text(part)
                if len(cache) < 500_000:
                    cache[part] = text
            if text:
                texts.append(text)
        joined = " ".join(texts)
        if self.checks_left:
            self.checks_left -= 1
            if joined != task_search_text(*parts):
                raise CommandError("检索文本的缓存与 task_search_text 不一致,请修改 gen_tasks。")
        return joined

    def ri(self, a: int, b: int) -> int:
        """random.randint, at a quarter of its cost: a million tasks draw some forty million numbers."""
        return a + int(self.r() * (b - a + 1))

    def rc(self, seq):
        return seq[int(self.r() * len(seq))]

    def at(self, day: date) -> datetime:
        """A moment in office hours on `day` (one of 32 drawn per day); today's are never later than now."""
        moments = self.moments.get(day)
        if moments is None:
            midnight = datetime(day.year, day.month, day.day, tzinfo=self.tz)
            moments = [midnight + timedelta(seconds=28_800 + int(self.r() * 36_000)) for _ in range(32)]
            if day >= self.today:
                moments = [min(moment, self.now) for moment in moments]
            self.moments[day] = moments
        return moments[int(self.r() * 32)]

    # --- Units, leaders, users ---

    def people(self) -> tuple[list[Unit], _People]:
        width = max(4, len(str(self.n_units)))
        names = [f"第{i:0{width}d}号单位" for i in range(1, self.n_units + 1)]
        existing = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
        new = []
        for i, name in enumerate(names, start=1):
            if name not in existing:
                # About three in ten are townships, spread through the list.
                kind = Unit.Kind.TOWNSHIP if i % 10 in (3, 6, 9) else Unit.Kind.DEPARTMENT
                new.append(Unit(name=name, short_name=f"{i:0{width}d}号单位", kind=kind, order=i * 10,
                                liaison_name=f"联络员{i:0{width}d}"))  # fmt: skip
        Unit.objects.bulk_create(new, batch_size=1000)
        by_name = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
        units = [by_name[name] for name in names]

        n_leaders = max(3, min(12, self.n_units // 50 + 3))
        leaders = []
        for i in range(1, n_leaders + 1):
            title = "县长" if i == 1 else "常务副县长" if i == 2 else "副县长"
            leader, _ = Leader.objects.get_or_create(
                name=f"第{i:02d}号县领导", defaults={"title": title, "order": i * 10, "is_principal": i == 1}
            )
            leaders.append(leader)
        # The principal leader sees everything; the others share the units between them.
        leader_of: dict[int, int] = {}
        share: dict[int, list[Unit]] = {leader.pk: [] for leader in leaders[1:]}
        for i, unit in enumerate(units):
            leader = leaders[1 + i % (n_leaders - 1)]
            share[leader.pk].append(unit)
            leader_of[unit.pk] = leader.pk
        for leader in leaders[1:]:
            leader.supervises.add(*share[leader.pk])

        hashed = make_password(PASSWORD)
        wanted = [("gen-office", User.Role.OFFICE, None, None, "督查室(基准)")]
        wanted += [
            (f"gen-unit-{i:04d}", User.Role.UNIT, unit, None, f"联络员{i:0{width}d}")
            for i, unit in enumerate(units[:LIAISON_UNITS], start=1)
        ]
        wanted += [(f"gen-leader-{i:02d}", User.Role.LEADER, None, leader, leader.name)
                   for i, leader in enumerate(leaders, start=1)]  # fmt: skip
        have = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
        User.objects.bulk_create(
            [User(username=username, password=hashed, role=role, unit=unit, leader=leader, name=name, is_active=True)
             for username, role, unit, leader, name in wanted if username not in have]
        )  # fmt: skip
        users = {user.username: user for user in User.objects.filter(username__in=[w[0] for w in wanted])}
        people = _People(
            office=users["gen-office"].pk,
            liaison_of={users[f"gen-unit-{i:04d}"].unit_id: users[f"gen-unit-{i:04d}"].pk
                        for i in range(1, min(LIAISON_UNITS, len(units)) + 1)},
            leader_of=leader_of,
            leader_user_of={users[f"gen-leader-{i:02d}"].leader_id: users[f"gen-leader-{i:02d}"].pk
                            for i in range(1, n_leaders + 1)},
            leader_str={leader.pk: str(leader) for leader in leaders},
        )  # fmt: skip
        self.say(f"单位 {len(units)} 个(新建 {len(new)}),县领导 {n_leaders} 位,账号 {len(wanted)} 个。\n")
        return units, people

    # --- Tasks ---

    def run(self) -> dict[str, int]:
        units, people = self.people()
        self.people_ = people
        self.unit_ids = [unit.pk for unit in units]
        self.unit_name = {unit.pk: unit.name for unit in units}
        # Zipf-like: the unit ranked k gets a share proportional to 1/k, so a few units carry most of the work.
        self.unit_cum = []
        total = 0.0
        for rank in range(1, len(units) + 1):
            total += 1.0 / rank
            self.unit_cum.append(total)
        # Each year a little busier than the one before.
        year_weights = [0.7 + 0.3 * k / max(1, self.years - 1) for k in range(self.years)]
        self.year_values = list(range(self.first_year, self.today.year + 1))
        self.year_cum = []
        total = 0.0
        for weight in year_weights:
            total += weight
            self.year_cum.append(total)
        self.last_year_status = _weighted(LAST_YEAR_STATUSES)
        self.older_status = _weighted(OLDER_STATUSES)
        self.current_status = _weighted(CURRENT_STATUSES)
        self.current_light = _weighted(CURRENT_LIGHTS)
        self.source_kind = _weighted(SOURCE_KINDS)
        self.cadence = _weighted(CADENCES)
        # The first tasks of this year go through every status and every light, so a small run shows them all.
        self.forced_status = [value for value, _ in CURRENT_STATUSES]
        self.forced_light = [Light.RED, Light.YELLOW, Light.GREEN] * 3

        self.sinks = {
            model: _Sink(model)
            for model in (Task, Assignment, ProgressReport, Urge, Instruction, ExtensionRequest, ClosureRequest,
                          TimelineEntry)
        }  # fmt: skip
        self.next_id = {model: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1 for model in self.sinks}

        self.first_id = dict(self.next_id)
        self.skip_key_checks = connection.vendor == "postgresql" and self._superuser()
        started = time.monotonic()
        made = 0
        plan = self.plan()
        while made < self.n_tasks:
            size = min(CHUNK, self.n_tasks - made)
            for _ in range(size):
                self.task(*next(plan))
            with transaction.atomic():
                restore = self._bulk_session()
                for sink in self.sinks.values():
                    sink.flush()
                restore()
            made += size
            elapsed = time.monotonic() - started
            self.say(
                f"  事项 {made:,}/{self.n_tasks:,}(用时 {elapsed:.0f} 秒,每秒 {made / max(elapsed, 1e-6):,.0f} 个)\n"
            )
        self.finish()
        counts = {model._meta.model_name: sink.written for model, sink in self.sinks.items()}
        counts["seconds"] = round(time.monotonic() - started)
        return counts

    def plan(self):
        """(year, day assigned) of every task, in the order of time.

        A real database receives its tasks as the years go by, so a year's rows lie together
        on disk; tasks drawn in random order would spread every year over the whole table and
        make each year's pages slower to read than they are in life.
        """
        per_year = dict.fromkeys(self.year_values, 0)
        for year in self.rng.choices(self.year_values, cum_weights=self.year_cum, k=self.n_tasks):
            per_year[year] += 1
        for year, count in per_year.items():
            start = date(year, 1, 1)
            # This year's work so far; a past year's assignments end with November.
            days = max(1, (self.today - start).days) if year == self.today.year else 334
            for offset in sorted(int(self.r() * days) for _ in range(count)):
                yield year, start + timedelta(days=offset)

    def pick(self, weighted: tuple[list, list]):
        values, cum = weighted
        return self.rng.choices(values, cum_weights=cum)[0]

    def _id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def task(self, year: int, assigned: date) -> None:
        rng, today, people = self.rng, self.today, self.people_
        current = year == today.year
        if current and self.forced_status:
            status = self.forced_status.pop(0)
        elif current:
            status = self.pick(self.current_status)
        else:
            status = self.pick(self.last_year_status if year == today.year - 1 else self.older_status)
        lead = rng.choices(self.unit_ids, cum_weights=self.unit_cum)[0]

        # When it is due, and how often it reports.
        # An extension is asked for a deadline not yet passed, so such a task has one, and is lit by its reports.
        asks_extension = status == Status.EXTENSION_ASKED
        standing = self.r() < 0.05 and not asks_extension
        cadence = Cadence.MONTHLY if standing or asks_extension else self.pick(self.cadence)
        cadence_day = {Cadence.WEEKLY: 5, Cadence.MONTHLY: self.rc([10, 25]), Cadence.QUARTERLY: 0,
                       Cadence.YEARLY: 0}.get(cadence, 0)  # fmt: skip
        deadline = None if standing else assigned + timedelta(days=self.ri(15, 300))
        next_due = None
        sign_by = assigned + timedelta(days=3)
        held_green = False
        done_on = None

        lit = status in Task.LIT_STATUSES
        if current and lit:
            light = self.forced_light.pop(0) if self.forced_light else self.pick(self.current_light)
            if status == Status.CLOSURE_ASKED:
                # Asked before the deadline it holds green; asked after, it stays red.
                light = Light.RED if light == Light.RED else Light.GREEN
            deadline, next_due, sign_by, held_green = self._dates_for_light(light, status, standing, cadence)
            if deadline and assigned > deadline - timedelta(days=10):
                assigned = deadline - timedelta(days=self.ri(10, 60))
            if cadence == Cadence.NONE:
                next_due = None
        elif status == Status.DONE:
            end = deadline or assigned + timedelta(days=200)
            if self.r() < 0.8:  # most are done on time
                done_on = assigned + timedelta(days=self.ri(3, max(4, (end - assigned).days)))
            else:
                done_on = end + timedelta(days=self.ri(1, 60))
            if done_on >= today:
                done_on = assigned + timedelta(days=self.ri(0, max(0, (today - assigned).days - 1)))
        elif lit:
            # A past year's task still open: long past its deadline and its last report.
            next_due = (deadline or today) + timedelta(days=self.ri(-30, 0)) if cadence != Cadence.NONE else None
            if standing:
                next_due = today - timedelta(days=self.ri(20, 90))
        elif status in (Status.PAUSED, Status.CANCELLED):
            next_due = None
        if status == Status.DRAFT:
            sign_by = None

        task_id = self._id(Task)
        lead_at = self.at(assigned)
        signed = status not in (Status.DRAFT, Status.ASSIGNED)
        signed_at = lead_at + timedelta(days=self.ri(0, 2), hours=self.ri(0, 5)) if signed else None
        end_day = done_on or today
        if end_day < assigned:
            end_day = assigned

        # Supporting units: three tasks in ten.
        supporting = []
        if self.r() < 0.3:
            for _ in range(self.ri(1, 2)):
                unit = self.rc(self.unit_ids)
                if unit != lead and unit not in supporting:
                    supporting.append(unit)

        # Progress reports: none before signing, otherwise about eight.
        reports = []
        percent = None
        if signed:
            n_reports = self.ri(3, 14)
            span = max(1, (end_day - assigned).days)
            offsets = sorted(self.ri(1, span) for _ in range(n_reports))
            pct = 0
            for offset in offsets:
                day = assigned + timedelta(days=offset)
                if day > today:
                    day = today
                support = supporting and self.r() < 0.15
                unit = self.rc(supporting) if support else lead
                pct = min(100 if status == Status.DONE else 95, pct + self.ri(0, 20))
                reports.append((day, unit, not support, pct))
            percent = next((pct for _, _, is_lead, pct in reversed(reports) if is_lead), None)
        if status == Status.DONE:
            percent = 100

        last_report_at = None
        office = people.office
        # The hot loop (eight rows a task): dates by index into precomputed lists, not by arithmetic.
        add, r, dates, day0 = self.sinks[ProgressReport].add, self.r, self.dates, self.day0
        for day, unit, is_lead, pct in reports:
            created = self.at(day)
            late = is_lead and r() < 0.1
            index = (day - day0).days
            due = dates[index - 1 - int(r() * 10)] if late else dates[index + int(r() * 6)]
            author = people.liaison_of.get(unit)
            add(
                id=self._id(ProgressReport), task_id=task_id, unit_id=unit, is_lead=is_lead,
                done_text=DONE_TEXTS[int(r() * len(DONE_TEXTS))],
                problems=PROBLEMS[int(r() * len(PROBLEMS))] if r() < 0.4 else "",
                next_steps=NEXT_STEPS[int(r() * len(NEXT_STEPS))], percent=pct, unchanged=False,
                due=due if is_lead else None, late=late, on_behalf=author is None, created_by_id=author or office,
                created_at=created,
            )  # fmt: skip
            if is_lead:
                last_report_at = created if last_report_at is None or created > last_report_at else last_report_at

        # Urges: about three tasks in twenty, one to three each.
        urge_count = 0
        if status != Status.DRAFT and self.r() < 0.15:
            urge_count = self.rc([1, 1, 1, 2, 2, 3])
            for _ in range(urge_count):
                day = assigned + timedelta(days=self.ri(0, max(0, (end_day - assigned).days)))
                self.sinks[Urge].add(
                    id=self._id(Urge), task_id=task_id, unit_id=lead, message=self.rc(URGE_TEXTS),
                    light=self.rc([Light.RED, Light.YELLOW]), batch=None, created_by_id=office,
                    created_at=self.at(day),
                )  # fmt: skip

        leader_id = people.leader_of.get(lead)
        if leader_id and signed and self.r() < 0.02:
            day = assigned + timedelta(days=self.ri(0, max(0, (end_day - assigned).days)))
            self.sinks[Instruction].add(
                id=self._id(Instruction), task_id=task_id, leader_id=leader_id, text="请抓紧推进,确保按期完成。",
                created_by_id=people.leader_user_of[leader_id], created_at=self.at(day),
            )  # fmt: skip

        requester = people.liaison_of.get(lead, office)
        if status == Status.EXTENSION_ASKED:
            self.sinks[ExtensionRequest].add(
                id=self._id(ExtensionRequest), task_id=task_id, unit_id=lead, reason="受客观因素影响,申请延期。",
                old_deadline=deadline, new_deadline=(deadline or today) + timedelta(days=30),
                status_before=Status.IN_PROGRESS, status=Decision.PENDING, requested_by_id=requester,
                requested_at=self.at(today), decided_by_id=None, decided_at=None, decision_note="",
            )  # fmt: skip
        elif status in (Status.CLOSURE_ASKED, Status.RETURNED):
            asked = self.at(today if status == Status.CLOSURE_ASKED else end_day)
            self.sinks[ClosureRequest].add(
                id=self._id(ClosureRequest), task_id=task_id, unit_id=lead, summary="已按要求完成,申请办结。",
                status_before=Status.IN_PROGRESS,
                status=Decision.PENDING if status == Status.CLOSURE_ASKED else Decision.REJECTED,
                requested_by_id=requester, requested_at=asked,
                decided_by_id=None if status == Status.CLOSURE_ASKED else office,
                decided_at=None if status == Status.CLOSURE_ASKED else asked + timedelta(hours=3),
                decision_note="" if status == Status.CLOSURE_ASKED else "佐证材料不足,请补充后重新申请。",
            )  # fmt: skip

        # The task itself, its assignments and its 登记交办 entry.
        verb, topic, suffix = self.rc(VERBS), self.rc(TOPICS), self.rc(SUFFIXES)
        prefix = self.rc(PREFIXES) if self.r() < 0.3 else ""
        title = f"{prefix}{verb}{topic}{suffix}"
        due_text = f"{deadline.month}月底前" if deadline else "长期坚持,"
        requirements = f"围绕{topic},{self.rc(MEASURES)};{due_text}{self.rc(GOALS)}。"
        category = self.rc(CATEGORIES)
        source_kind = self.pick(self.source_kind)
        source_title = {
            Task.SourceKind.SPEECH: f"{year}年政府系统工作部署会议讲话",
            Task.SourceKind.MINUTES: f"县政府常务会议纪要〔{year}〕{self.ri(1, 40)}号",
            Task.SourceKind.WORK_REPORT: f"{year}年县政府工作报告",
            Task.SourceKind.INSTRUCTION: f"县领导批示件〔{year}〕{self.ri(1, 200)}号",
        }.get(source_kind, "县委县政府督查通知")
        priority = rng.choices([0, 1, 2], cum_weights=[85, 97, 100])[0]
        updated = max([lead_at, *(value for value in (signed_at, last_report_at) if value)])
        if done_on:
            updated = max(updated, self.at(done_on))
        workdays_to_done = max(self.workdays_between(assigned, done_on), 0) if done_on else None
        self.sinks[Task].add(
            id=task_id, parent_id=None, year=year, title=title, requirements=requirements, category=category,
            source_kind=source_kind, source_title=source_title, source_date=assigned - timedelta(days=self.ri(1, 20)),
            source_quote="", leader_id=leader_id, lead_unit_id=lead, group_label="", deadline=deadline,
            standing=standing, cadence=cadence, cadence_day=cadence_day, priority=priority,
            backfill=not current, status=status,
            status_before_pause=Status.IN_PROGRESS if status == Status.PAUSED else "",
            sign_by=sign_by, next_report_due=next_due, held_green=held_green,
            assigned_at=None if status == Status.DRAFT else lead_at, signed_at=signed_at, done_on=done_on,
            done_on_time=(deadline is None or done_on <= deadline) if done_on else None,
            workdays_to_done=workdays_to_done, percent=percent, last_report_at=last_report_at,
            urge_count=urge_count, search_text=self.search_text(title, requirements, category, source_title),
            created_by_id=office, created_at=lead_at, updated_at=updated,
        )  # fmt: skip
        asink = self.sinks[Assignment]
        asink.add(id=self._id(Assignment), task_id=task_id, unit_id=lead, role=Assignment.Role.LEAD,
                  signed_at=signed_at, signed_by_id=(people.liaison_of.get(lead, office) if signed_at else None),
                  created_at=lead_at)  # fmt: skip
        for unit in supporting:
            support_signed = signed_at if signed_at and self.r() < 0.8 else None
            asink.add(id=self._id(Assignment), task_id=task_id, unit_id=unit, role=Assignment.Role.SUPPORT,
                      signed_at=support_signed,
                      signed_by_id=(people.liaison_of.get(unit, office) if support_signed else None),
                      created_at=lead_at)  # fmt: skip
        self.sinks[TimelineEntry].add(
            id=self._id(TimelineEntry), task_id=task_id, at=lead_at, actor_id=office, unit_id=None,
            action=TimelineEntry.Action.CREATE, note="" if current else "补录", before={},
            after={
                "title": title, "lead_unit": self.unit_name[lead], "supporting": "、".join(self.unit_name[u] for u in supporting),
                "leader": people.leader_str.get(leader_id), "deadline": f"{deadline:%Y-%m-%d}" if deadline else "长期坚持",
                "priority": Task.Priority(priority).label, "status": "待签收",
            },
            on_behalf=False,
        )  # fmt: skip

    def _dates_for_light(self, light, status, standing, cadence):
        """Deadline, next report due, sign-by and held-green that give this year's open task `light` today."""
        today, t = self.today, self.t
        reports = cadence != Cadence.NONE
        far = today + timedelta(days=(t.soon - today).days + self.ri(1, 240))
        deadline = None if standing else far
        next_due = today + timedelta(days=self.ri(0, 25))
        sign_by = today + timedelta(days=self.ri(0, 2))
        held = False
        if light == Light.GREEN:
            held = status == Status.CLOSURE_ASKED
        elif light == Light.YELLOW:
            ways = ["report"] if standing else ["deadline", "report"] if reports else ["deadline"]
            if status == Status.ASSIGNED:
                ways.append("sign")
            way = self.rc(ways)
            if way == "deadline":
                deadline = today + timedelta(days=self.ri(0, (t.soon - today).days))
            elif way == "report":
                next_due = today - timedelta(days=self.ri(1, max(1, (today - t.report_red).days)))
            else:
                sign_by = today - timedelta(days=self.ri(1, 5))
        else:
            ways = ["report"] if standing or status == Status.EXTENSION_ASKED else ["deadline", "report"]
            if not reports and "deadline" in ways:
                ways = ["deadline"]
            way = self.rc(ways)
            if way == "deadline":
                deadline = today - timedelta(days=self.ri(1, 90))
            else:
                next_due = t.report_red - timedelta(days=self.ri(1, 40))
        return deadline, next_due, sign_by, held

    @staticmethod
    def _superuser() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SHOW is_superuser")
            return cursor.fetchone()[0] == "on"

    def _bulk_session(self):
        """On PostgreSQL, settings for writing one chunk; returns the function that puts them back.

        The foreign-key triggers check every row one by one at commit, which costs more than
        writing the rows; as superuser they are skipped here (replica mode) and every new row's
        keys are checked at the end, in one query per key (`check_keys`). The settings are put
        back explicitly: inside a caller's transaction (a test's) SET LOCAL would outlive the chunk.
        """
        if connection.vendor != "postgresql":
            return lambda: None
        wanted = {"work_mem": "256MB"}
        if self.skip_key_checks:
            wanted["session_replication_role"] = "replica"
        with connection.cursor() as cursor:
            before = {}
            for name, value in wanted.items():
                cursor.execute("SELECT current_setting(%s)", [name])
                before[name] = cursor.fetchone()[0]
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])

        def restore():
            with connection.cursor() as cursor:
                for name, value in before.items():
                    cursor.execute("SELECT set_config(%s, %s, true)", [name, value])

        return restore

    def check_keys(self) -> None:
        """Every foreign key of every row written points at a row that exists; refuse loudly otherwise."""
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in self.sinks:
                table = qn(model._meta.db_table)
                for field in model._meta.concrete_fields:
                    if not field.is_relation:
                        continue
                    target = qn(field.related_model._meta.db_table)
                    column, target_column = qn(field.column), qn(field.target_field.column)
                    cursor.execute(
                        f"SELECT count(*) FROM {table} c WHERE c.id >= %s AND c.{column} IS NOT NULL "
                        f"AND NOT EXISTS (SELECT 1 FROM {target} p WHERE p.{target_column} = c.{column})",
                        [self.first_id[model]],
                    )
                    broken = cursor.fetchone()[0]
                    if broken:
                        raise CommandError(f"{model._meta.verbose_name}.{field.name}:{broken} 行指向不存在的记录。")

    def finish(self) -> None:
        """Move the id sequences past the rows written with explicit ids, and bring the tables to the state
        autovacuum would leave them in: planner statistics, and (outside a transaction) the visibility map
        that index-only scans need."""
        if connection.vendor == "postgresql":
            if self.skip_key_checks:
                self.say("  检查外键……\n")
                self.check_keys()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.sinks)):
                    cursor.execute(sql)
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                self.say(f"  {command}……\n")
                for model in self.sinks:
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


class Command(BaseCommand):
    help = "生成用于性能测试的模拟数据:单位、县领导、账号和多年的督办事项(批量写入)。"

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, required=True, help="生成的事项数")
        parser.add_argument("--units", type=int, required=True, help="单位数(约三成为乡镇)")
        parser.add_argument("--seed", type=int, default=1, help="随机数种子,同一种子生成同样的数据")
        parser.add_argument("--years", type=int, default=10, help="跨越的年数,截至今年")
        parser.add_argument("--append", action="store_true", help="数据库里已有事项时仍然追加")

    def handle(self, *args, tasks, units, seed, years, append, **options):
        if tasks < 1 or units < 3 or years < 1:
            raise CommandError("--tasks 至少为 1,--units 至少为 3,--years 至少为 1。")
        existing = Task.objects.count()
        if existing > FEW_TASKS and not append:
            raise CommandError(
                f"数据库里已有 {existing:,} 个事项。gen_tasks 生成的是性能测试用的模拟数据,应在空库上运行;"
                "确需在现有数据上追加,请加 --append。"
            )
        started = time.monotonic()
        self.stdout.write(f"生成 {tasks:,} 个事项,{units} 个单位,{years} 年(截至 {timezone.localdate().year} 年)……\n")
        generator = Generator(tasks=tasks, units=units, seed=seed, years=years, out=self.stdout)
        counts = generator.run()
        seconds = time.monotonic() - started
        t = workdays.thresholds()
        this_year = Task.objects.filter(year=timezone.localdate().year)
        lights = this_year.light_counts(t)
        done = Task.objects.filter(status=Status.DONE).count()
        total = Task.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"完成,用时 {seconds:.0f} 秒:事项 {counts['task']:,},承办单位记录 {counts['assignment']:,},"
                f"进展反馈 {counts['progressreport']:,},催办 {counts['urge']:,},批示 {counts['instruction']:,},"
                f"延期申请 {counts['extensionrequest']:,},办结申请 {counts['closurerequest']:,},"
                f"留痕 {counts['timelineentry']:,}。"
            )
        )
        self.stdout.write(
            f"全库已办结 {done / max(total, 1):.0%};今年 {lights['total']:,} 项,"
            f"红灯 {lights['red']:,},黄灯 {lights['yellow']:,},绿灯 {lights['green']:,}。\n"
            f"账号(密码均为 {PASSWORD}):gen-office 督查室,gen-unit-0001… 前 {LIAISON_UNITS} 个单位的联络员,"
            "gen-leader-01… 县领导。\n"
        )
