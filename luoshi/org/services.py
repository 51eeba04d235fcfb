"""Writes and look-ups of the organisation: resolving names, contact changes, logins.

`unit_resolve` and `leader_resolve` are the shared resolvers of ARCHITECTURE.md:
the directory, the ledger import and the document intake all call them.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rapidfuzz import fuzz, process

from luoshi.audit.services import audit_changes, audit_record, field_values
from luoshi.lib.errors import ActionError
from luoshi.lib.text import normalize, split_names

from .models import ApiToken, Leader, LoginEvent, LoginThrottle, Unit, UnitAlias, User

# --- Resolving unit names ---------------------------------------------------

# Group words and the kinds of unit they stand for (None: every unit), as a county reads them:
# - 各地 in a county's speech is every township (in a city's it would be the counties);
# - 各村(社区): villages and communities are not units of the directory; their township answers for them;
# - 各县区 (a city's word, relayed by the county): for the county it is the county itself, every unit,
#   for the office to narrow.
GROUPS: dict[str, tuple[str, ...] | None] = {
    **dict.fromkeys(
        [
            "各乡镇", "各镇", "各乡", "各镇(街道)", "各乡镇(街道)", "各乡(镇)", "各镇街", "各乡镇街道", "各街道", "乡镇",
            "各乡镇办", "各地", "各村(社区)", "各村(居)", "各村", "各社区", "各村居", "各村组",
        ],
        (Unit.Kind.TOWNSHIP,),
    ),
    **dict.fromkeys(
        [
            "县直各单位", "县直单位", "县直各部门", "县直部门", "县直有关部门", "县直有关单位", "县直相关单位",
            "县直相关部门", "各部门", "各局委", "各局委办", "各有关部门", "有关部门", "相关部门",
        ],
        (Unit.Kind.DEPARTMENT,),
    ),
    **dict.fromkeys(
        [
            "各单位", "在座的各位", "全县各单位", "各有关单位", "有关单位", "相关单位", "各级各部门",
            "各县区", "各县(区)", "各区县", "各县市区", "各县(市、区)",
        ],
        None,
    ),
}  # fmt: skip

# How a name was resolved; the ledger import and the intake show it to the user.
HOW_NAME, HOW_SHORT, HOW_ALIAS, HOW_PREFIX, HOW_GROUP, HOW_FUZZY = (
    "name",
    "short_name",
    "alias",
    "prefix",
    "group",
    "fuzzy",
)

# A fuzzy match resolves by itself only when it is this close and clearly ahead.
_FUZZY_ACCEPT = 90
_FUZZY_LEAD = 8
_FUZZY_SUGGEST = 55


@dataclass
class Resolution:
    mention: str
    units: list[Unit] = field(default_factory=list)
    how: str = ""
    suggestions: list[Unit] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return bool(self.units)


class UnitDirectory:
    """Every active unit and its names, loaded once, for resolving many names fast.

    An import of 100,000 rows builds one directory and passes it to every call.
    """

    def __init__(self, units: list[Unit], aliases: list[tuple[str, int]], county_name: str):
        self.units = units
        self.by_id = {unit.pk: unit for unit in units}
        self.county_name = normalize(county_name)
        self.exact: dict[str, tuple[Unit, str]] = {}
        for unit in units:
            self.exact.setdefault(normalize(unit.name), (unit, HOW_NAME))
        for unit in units:
            if unit.short_name:
                self.exact.setdefault(normalize(unit.short_name), (unit, HOW_SHORT))
        for alias, unit_id in aliases:
            if unit_id in self.by_id:
                self.exact.setdefault(normalize(alias), (self.by_id[unit_id], HOW_ALIAS))
        self._choices = list(self.exact.keys())

    @classmethod
    def load(cls) -> "UnitDirectory":
        units = list(Unit.objects.active().order_by("order", "id"))
        aliases = list(UnitAlias.objects.filter(unit__active=True).values_list("alias", "unit_id"))
        return cls(units, aliases, settings.LUOSHI_COUNTY_NAME)

    def of_kinds(self, kinds: tuple[str, ...] | None) -> list[Unit]:
        if kinds is None:
            return list(self.units)
        return [unit for unit in self.units if unit.kind in kinds]

    def strip_prefix(self, key: str) -> str | None:
        """示范县财政局 → 财政局, 县财政局 → 财政局; None when there is no prefix."""
        for prefix in (self.county_name, "县"):
            if prefix and key.startswith(prefix) and len(key) > len(prefix):
                return key[len(prefix) :]
        return None

    def fuzzy(self, key: str, limit: int = 5) -> list[tuple[Unit, float]]:
        matches = process.extract(key, self._choices, scorer=fuzz.WRatio, limit=limit * 3)
        seen, found = set(), []
        for choice, score, _ in matches:
            unit = self.exact[choice][0]
            if unit.pk not in seen and score >= _FUZZY_SUGGEST:
                seen.add(unit.pk)
                found.append((unit, score))
        return found[:limit]


def unit_resolve(text: str, *, directory: UnitDirectory | None = None) -> Resolution:
    """Turn one written name (国土局, 县财政局, 各乡镇) into units.

    Steps: exact full name, short name or alias; the same after stripping the
    县 prefix; a group word; finally fuzzy matching, which resolves only a
    near-certain match and otherwise offers suggestions.
    """
    directory = directory or UnitDirectory.load()
    mention = (text or "").strip()
    key = normalize(mention)
    if not key:
        return Resolution(mention=mention)

    if key in directory.exact:
        unit, how = directory.exact[key]
        return Resolution(mention=mention, units=[unit], how=how)

    stripped = directory.strip_prefix(key)
    if stripped and stripped in directory.exact:
        return Resolution(mention=mention, units=[directory.exact[stripped][0]], how=HOW_PREFIX)

    for candidate in (key, stripped):
        if candidate in GROUPS:
            return Resolution(mention=mention, units=directory.of_kinds(GROUPS[candidate]), how=HOW_GROUP)

    matches = directory.fuzzy(stripped or key)
    if matches:
        best_unit, best_score = matches[0]
        runner_up = matches[1][1] if len(matches) > 1 else 0
        if best_score >= _FUZZY_ACCEPT and best_score - runner_up >= _FUZZY_LEAD:
            return Resolution(mention=mention, units=[best_unit], how=HOW_FUZZY, suggestions=[u for u, _ in matches])
    return Resolution(mention=mention, suggestions=[unit for unit, _ in matches])


def unit_resolve_many(text: str, *, directory: UnitDirectory | None = None) -> list[Resolution]:
    """Resolve a cell that names several units: "县统计局、县财政局\\n各乡镇"."""
    directory = directory or UnitDirectory.load()
    return [unit_resolve(name, directory=directory) for name in split_names(text)]


@transaction.atomic
def unit_alias_add(*, unit: Unit, alias: str, by: User | None) -> UnitAlias:
    """Save a name resolved by hand as the unit's alias, so it resolves by itself next time."""
    alias = normalize(alias)
    if not alias:
        raise ValueError("别名不能为空。")
    existing = UnitAlias.objects.filter(alias=alias).select_related("unit").first()
    if existing:
        if existing.unit_id == unit.pk:
            return existing
        raise ValueError(f"别名“{alias}”已属于“{existing.unit.name}”,不能再用于“{unit.name}”。")
    if Unit.objects.filter(name=alias).exclude(pk=unit.pk).exists():
        raise ValueError(f"“{alias}”是另一个单位的全称,不能作为“{unit.name}”的别名。")
    return UnitAlias.objects.create(unit=unit, alias=alias, created_by=by)


# --- Resolving leaders ------------------------------------------------------

_SUPERVISOR_PATTERN = re.compile(r"^分管(?P<what>.*?)(?:工作)?(?:的)?(?:常务)?(?:副县长|县领导|领导|县长)$")
_HONORIFICS = ("同志", "县长", "副县长", "常务副县长")


def leader_resolve(text: str) -> Leader | None:
    """Resolve a leader by name, by title (县长, 常务副县长), or by "分管X副县长".

    X is a unit (分管财政局副县长) or a field (分管水利副县长). An ambiguous
    text (副县长, 分管副县长) resolves to None: guessing a leader is worse
    than asking.
    """
    key = normalize(text)
    if not key:
        return None
    leaders = list(Leader.objects.filter(active=True).prefetch_related("supervises"))

    by_name = [leader for leader in leaders if leader.name == key]
    if len(by_name) == 1:
        return by_name[0]
    # "张伟县长", "李强同志": a name followed by a title or honorific.
    for leader in leaders:
        rest = key.removeprefix(leader.name)
        if rest != key and (rest in _HONORIFICS or rest == normalize(leader.title)):
            return leader

    by_title = [leader for leader in leaders if normalize(leader.title) == key]
    if key == "县长":
        by_title = [leader for leader in leaders if leader.is_principal] or by_title
    if len(by_title) == 1:
        return by_title[0]

    match = _SUPERVISOR_PATTERN.match(key)
    if not match or not match.group("what"):
        return None
    what = match.group("what")
    by_field = [leader for leader in leaders if what in leader.field_list]
    if not by_field:
        by_field = [leader for leader in leaders if any(what in f or f in what for f in leader.field_list)]
    if len(by_field) == 1:
        return by_field[0]
    if by_field:
        return None
    resolution = unit_resolve(what)
    if len(resolution.units) == 1 and resolution.how != HOW_FUZZY:
        unit = resolution.units[0]
        supervisors = [leader for leader in leaders if unit in leader.supervises.all()]
        if len(supervisors) == 1:
            return supervisors[0]
    return None


# --- Unit contact details ---------------------------------------------------

CONTACT_FIELDS = ("liaison_name", "liaison_phone", "liaison_mobile", "head_name", "head_mobile")


@transaction.atomic
def unit_contact_update(
    *,
    unit: Unit,
    by: User,
    liaison_name: str,
    liaison_phone: str,
    liaison_mobile: str,
    head_name: str | None = None,
    head_mobile: str | None = None,
) -> Unit:
    """Change a unit's liaison, its head (单位负责人) and their phones, keeping what they were in the change history.

    A head field left as None keeps its value.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    snapshot = field_values(unit)
    new = {"liaison_name": liaison_name, "liaison_phone": liaison_phone, "liaison_mobile": liaison_mobile}
    new |= {
        name: value for name, value in (("head_name", head_name), ("head_mobile", head_mobile)) if value is not None
    }
    changes = []
    for name, value in new.items():
        before = getattr(unit, name)
        if before != value:
            label = Unit._meta.get_field(name).verbose_name
            changes.append(f"{label}:“{before}”→“{value}”")
            setattr(unit, name, value)
    if changes:
        unit.save(update_fields=[*CONTACT_FIELDS, "updated_at"])
        audit_changes(
            obj=unit, before=snapshot, by=by, action="contact_update", note="修改联络信息:" + ";".join(changes)
        )
    return unit


# --- Logins -----------------------------------------------------------------


def _throttle_key(username: str) -> str:
    return normalize(username).lower()[:150]


def login_locked_until(*, username: str) -> datetime | None:
    """When the account typed as `username` unlocks, or None if it is not locked."""
    row = LoginThrottle.objects.filter(username=_throttle_key(username)).first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def login_event_record(*, kind: str, username: str, user: User | None, ip: str | None, user_agent: str) -> None:
    LoginEvent.objects.create(kind=kind, username=username[:150], user=user, ip=ip, user_agent=user_agent[:300])


@transaction.atomic
def login_failure_record(*, username: str, user: User | None, ip: str | None, user_agent: str) -> datetime | None:
    """Count a wrong password; lock the account after the limit in a row.

    Returns when the account unlocks if this failure locked it.
    """
    key = _throttle_key(username)
    now = timezone.now()
    row, _ = LoginThrottle.objects.select_for_update().get_or_create(username=key)
    if row.locked_until and row.locked_until <= now:
        row.failures, row.locked_until = 0, None
    row.failures = F("failures") + 1
    row.save(update_fields=["failures", "locked_until"])
    row.refresh_from_db()
    login_event_record(kind=LoginEvent.Kind.FAILED, username=username, user=user, ip=ip, user_agent=user_agent)
    if row.failures >= settings.LUOSHI_LOGIN_MAX_FAILURES:
        row.locked_until = now + timedelta(minutes=settings.LUOSHI_LOGIN_LOCK_MINUTES)
        row.save(update_fields=["locked_until"])
        login_event_record(kind=LoginEvent.Kind.LOCKED, username=username, user=user, ip=ip, user_agent=user_agent)
        return row.locked_until
    return None


@transaction.atomic
def login_success_record(*, user: User, username: str, ip: str | None, user_agent: str) -> None:
    LoginThrottle.objects.filter(username=_throttle_key(username)).delete()
    login_event_record(kind=LoginEvent.Kind.LOGIN, username=username, user=user, ip=ip, user_agent=user_agent)


@transaction.atomic
def login_unlock(*, username: str, by: User | None) -> None:
    """The security officer lifts a lock before it runs out; traced on the account when it exists."""
    deleted, _ = LoginThrottle.objects.filter(username=_throttle_key(username)).delete()
    user = User.objects.filter(username=username).first()
    if deleted and user is not None:
        audit_record(obj=user, action="login_unlock", by=by, note=f"安全管理:解除账号“{username}”的登录锁定")


# --- API tokens -------------------------------------------------------------

API_TOKEN_PREFIX = "ls_"
# How many live tokens one person may hold; more usually means old ones were never revoked.
API_TOKEN_MAX_ACTIVE = 20
# last_used_at is written at most this often, so that a busy client does not write on every call.
_API_TOKEN_TOUCH_EVERY = timedelta(minutes=1)


def _api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`. The secret is returned this once and never stored, only its hash."""
    name = (name or "").strip()
    if not name:
        raise ActionError("请填写令牌名称,写明用途,如:数据大屏。")
    if len(name) > 50:
        raise ActionError("令牌名称不能超过50字。")
    # Lock the user's row so that two creates at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= API_TOKEN_MAX_ACTIVE:
        raise ActionError(f"每人最多保留 {API_TOKEN_MAX_ACTIVE} 个有效令牌,请先吊销不再使用的令牌。")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:8], key_hash=_api_token_hash(secret),
        password_fingerprint=ApiToken.fingerprint(user),
    )  # fmt: skip
    audit_record(obj=token, action="token_create", by=user, note=f"创建 API 令牌“{name}”({token.prefix}…)")
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token for good. Its owner or the security officer may; revoking twice keeps the first time."""
    if by.pk != token.user_id and by.role != User.Role.SECURITY:
        raise ActionError("只能吊销自己的令牌。", status=403)
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db(fields=["revoked_at"])
        if revoked:
            audit_record(
                obj=token, action="token_revoke", by=by,
                note=f"吊销 {token.user} 的 API 令牌“{token.name}”({token.prefix}…)",
            )  # fmt: skip
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user whose live token this is, or None. Marks the token used, at most once a minute."""
    if not secret or not secret.startswith(API_TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        # A user who must change their password is held at the password page in the browser; the API waits too.
        .filter(
            key_hash=_api_token_hash(secret),
            revoked_at__isnull=True,
            user__is_active=True,
            user__must_change_password=False,
        )
        .first()
    )
    if token is None or token.outlived_password:
        # A password changed since the token was made (by its owner, the security officer, an import or a
        # command): whoever changed it may have done so because the account leaked, so the token goes too.
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= _API_TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- County settings ---------------------------------------------------------


def county_settings_update(*, cadence: str, day: int, by: User):
    """Change the default feedback cadence (督办设置), keeping what it was in the change history."""
    from .models import CADENCE_CHOICES, CountySettings

    if not by.is_office:
        raise ActionError("只有督查室可以修改督办设置。", status=403)
    labels = dict(CADENCE_CHOICES)
    if cadence not in labels:
        raise ActionError("默认反馈周期无效,请从列表中选择。")
    if cadence == "weekly" and not 1 <= day <= 7:
        raise ActionError("反馈日:每周反馈请填1-7(周一至周日)。")
    if cadence in ("monthly", "quarterly", "yearly") and not 1 <= day <= 31:
        raise ActionError("反馈日:每月、每季度、每年反馈请填1-31(几号前)。")
    if cadence == "none":
        day = 0
    with transaction.atomic():
        current = CountySettings.load()
        current = CountySettings.objects.select_for_update().get(pk=current.pk)
        before = current.default_cadence_label
        current.default_cadence, current.default_cadence_day = cadence, day
        current.updated_by, current.updated_at = by, timezone.now()
        current.save()
        if current.default_cadence_label != before:
            audit_record(
                obj=current, action="settings_update", by=by,
                note=f"修改默认反馈周期:“{before}”→“{current.default_cadence_label}”",
                before={"默认反馈周期": before}, after={"默认反馈周期": current.default_cadence_label},
            )  # fmt: skip
    return current


def password_change_record(*, user: User, by: User, ip: str | None, user_agent: str) -> None:
    """A password changed on the password page: the login log and the trace both keep it."""
    login_event_record(kind=LoginEvent.Kind.PASSWORD, username=user.username, user=user, ip=ip, user_agent=user_agent)
    audit_record(obj=user, action="password_change", by=by, note="本人修改密码", after={"密码": "(已修改,内容不记录)"})
