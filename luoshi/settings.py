"""Luoshi's one settings file, driven by environment variables.

See the README's "配置 / Configuration" table for every variable. A bad value
stops start-up with a message naming the variable (``luoshi.lib.config``).
"""

from pathlib import Path

import dj_database_url

from luoshi.lib.config import ConfigError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LUOSHI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# The secret comes from SECRET_KEY, else from the file `make run` writes once into var/ (mode 600), so that
# `manage.py` commands work as typed after `make run`. With DEBUG off a weak one stops start-up: shorter
# than 50 characters, too few distinct characters, or the deploy example's placeholder.
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
_WEAK_SECRET_MARKERS = ("请替换", "change-me", "changeme", "replace", "secret-key-here", "development-key")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "配置错误:DEBUG 关闭时必须设置环境变量 SECRET_KEY(至少 50 个随机字符,"
            '可用 python -c "import secrets; print(secrets.token_urlsafe(50))" 生成),'
            f"或把它写入 {SECRET_KEY_FILE}(make run 首次启动时自动生成)。"
        )
    SECRET_KEY = "luoshi-development-key-never-use-in-production-0123456789abcdef"
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or any(marker in SECRET_KEY.lower() for marker in _WEAK_SECRET_MARKERS)
):
    raise ConfigError(
        "配置错误:SECRET_KEY 太弱(少于 50 个字符、字符种类太少,或仍是示例中的占位文字)。"
        '请用 python -c "import secrets; print(secrets.token_urlsafe(50))" 生成一个新的随机值。'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The county this installation serves; it prefixes unit names in documents
# and is stripped from names by the unit resolver.
LUOSHI_COUNTY_NAME = env_str("LUOSHI_COUNTY_NAME", "示范县")

INSTALLED_APPS = [
    "luoshi.org.apps.OrgAdminConfig",
    # Before django.contrib.auth, so that org's traced createsuperuser and changepassword replace Django's.
    "luoshi.org",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "luoshi.plans",
    "luoshi.work",
    "luoshi.ledger",
    "luoshi.intake",
    "luoshi.reports",
    "django_tasks",
    "django_tasks_db",
    "luoshi.notify",
    "luoshi.rankings",
    "luoshi.audit",
    "luoshi.problems",
    "luoshi.library",
    "luoshi.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luoshi.lib.security.RateLimitMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "luoshi.org.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "luoshi.lib.http.BadInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luoshi.lib.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.org.context_processors.navigation",
                "luoshi.plans.context_processors.calendar_banner",
                "luoshi.notify.context_processors.bell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (psycopg 3) is production.
_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'luoshi.sqlite3'}"
_database_url = env_str("DATABASE_URL", _DEFAULT_DATABASE_URL)
try:
    _database = dj_database_url.parse(_database_url, conn_max_age=0)
except (ValueError, dj_database_url.UnknownSchemeError) as exc:
    raise ConfigError(
        f"配置错误:环境变量 DATABASE_URL={_database_url!r} 无法使用({exc})。"
        "应为 sqlite:///绝对路径 或 postgres://用户@主机:端口/库名。"
    ) from None

if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write
    # lock when a transaction starts, so concurrent writers queue behind the
    # busy timeout instead of failing with "database is locked" half-way.
    _database["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
            "PRAGMA cache_size=-65536;PRAGMA temp_store=MEMORY;"
        ),
    }
    # Tests use a real file too, so WAL and the busy timeout are what they test.
    _database["TEST"] = {"NAME": str(Path(_database["NAME"]).with_suffix(".test.sqlite3"))}
    Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database["CONN_MAX_AGE"] = env_int("LUOSHI_DB_CONN_MAX_AGE", 60)
    _database["CONN_HEALTH_CHECKS"] = True
    # JIT spends 100-200 ms compiling any query it thinks costly: slower, not faster, for page queries.
    _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    raise ConfigError(
        f"配置错误:环境变量 DATABASE_URL 指向的数据库类型 {_database['ENGINE']} 不受支持,只支持 sqlite 和 postgres。"
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, logins, passwords ---------------------------------------------
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Argon2id (argon2-cffi) first: memory-hard, and at Luoshi's parameters a login costs a fraction of PBKDF2's CPU
# (bench/password_hash.py). PBKDF2 hashes still verify and are re-hashed with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "luoshi.org.passwords.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "luoshi.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "luoshi.org.passwords.LettersAndDigitsValidator"},
]

# Sessions end after this many idle minutes: every request renews the cookie.
LUOSHI_SESSION_IDLE_MINUTES = env_int("LUOSHI_SESSION_IDLE_MINUTES", 120, minimum=5, maximum=7 * 24 * 60)
SESSION_COOKIE_AGE = LUOSHI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

# Lock an account (not an IP: a county sits behind one NAT) after this many
# wrong passwords in a row, for this many minutes.
LUOSHI_LOGIN_MAX_FAILURES = env_int("LUOSHI_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100)
LUOSHI_LOGIN_LOCK_MINUTES = env_int("LUOSHI_LOGIN_LOCK_MINUTES", 15, minimum=1, maximum=24 * 60)

# Behind nginx the client's address is the last X-Forwarded-For entry.
LUOSHI_BEHIND_PROXY = env_bool("LUOSHI_BEHIND_PROXY", False)

# --- HTTPS ----------------------------------------------------------------
# LUOSHI_HTTPS=1 turns on every HTTPS setting; an intranet served over plain
# http leaves it off.
LUOSHI_HTTPS = env_bool("LUOSHI_HTTPS", False)
SESSION_COOKIE_SECURE = LUOSHI_HTTPS
CSRF_COOKIE_SECURE = LUOSHI_HTTPS
SECURE_SSL_REDIRECT = LUOSHI_HTTPS
if LUOSHI_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("LUOSHI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy on every answer (luoshi/lib/security.py): scripts from this site only, none inline.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
LUOSHI_CSP = env_bool("LUOSHI_CSP", True)
# Rate limits (luoshi/lib/security.py), per web process: API calls a minute per account (an address gets
# LUOSHI_RATE_IP_FACTOR times as many: a county's offices sit behind one NAT), login posts per address in
# 5 minutes, uploads per account in 10 minutes.
LUOSHI_RATE_API_PER_MINUTE = env_int("LUOSHI_RATE_API_PER_MINUTE", 600, minimum=10, maximum=1_000_000)
LUOSHI_RATE_IP_FACTOR = env_int("LUOSHI_RATE_IP_FACTOR", 10, minimum=1, maximum=1000)
LUOSHI_RATE_LOGIN_PER_IP = env_int("LUOSHI_RATE_LOGIN_PER_IP", 300, minimum=10, maximum=1_000_000)
LUOSHI_RATE_UPLOADS_PER_10_MINUTES = env_int("LUOSHI_RATE_UPLOADS_PER_10_MINUTES", 60, minimum=1, maximum=100_000)
# The trail and the login log are kept at least this many days (等保: 180 at the least; the database refuses
# to delete a younger entry whatever this says); `manage.py archive_audit` moves older ones to a signed file.
LUOSHI_AUDIT_RETENTION_DAYS = env_int("LUOSHI_AUDIT_RETENTION_DAYS", 180, minimum=180, maximum=36500)
# Uploads kept for a background job (ops.jobs) that has not run after this many days are deleted by the daily
# sweep, the job ended as failed; those of finished jobs go at the next sweep.
LUOSHI_JOB_UPLOAD_DAYS = env_int("LUOSHI_JOB_UPLOAD_DAYS", 7, minimum=1, maximum=365)
# A job a worker began and has not finished after this many minutes was interrupted (the worker killed, the machine
# restarted): its page and the daily sweep end it as failed, so that it does not show 处理中 for ever.
LUOSHI_JOB_STALE_MINUTES = env_int("LUOSHI_JOB_STALE_MINUTES", 60, minimum=5, maximum=1440)
# /api/docs and /api/openapi.json need a login (or an API token) unless this opens them.
LUOSHI_API_DOCS_PUBLIC = env_bool("LUOSHI_API_DOCS_PUBLIC", False)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("LUOSHI_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("LUOSHI_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Upload limits (ARCHITECTURE.md, "Limits").
LUOSHI_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
LUOSHI_MAX_SPREADSHEET_BYTES = 50 * 1024 * 1024
# 1 million cells of ordinary text fit the reading budget of lib/sheets.py (MAX_READ_BYTES: about 120 bytes a
# cell plus twice its text, within a worker's 256 MB); 2 million never did, so the limit says what holds.
LUOSHI_MAX_SPREADSHEET_CELLS = 1_000_000
# An .xlsx is a zip: its parts, unpacked, may not pass this (a zip bomb is refused before it is read).
LUOSHI_MAX_SPREADSHEET_UNZIPPED_BYTES = 500 * 1024 * 1024
LUOSHI_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
LUOSHI_MAX_DOCUMENT_UNZIPPED_BYTES = 200 * 1024 * 1024
LUOSHI_MAX_TEXT_CHARS = 2_000_000

# --- 督办 ------------------------------------------------------------------
# Lights (ARCHITECTURE.md, "Shared pieces"): a deadline within N working days is yellow,
# a report more than N working days late is red.
LUOSHI_WARNING_WORKDAYS = env_int("LUOSHI_WARNING_WORKDAYS", 3, minimum=1, maximum=30)
# A unit that has not signed for a task within this many working days shows as unsigned.
LUOSHI_SIGN_WORKDAYS = env_int("LUOSHI_SIGN_WORKDAYS", 2, minimum=1, maximum=30)
# Tasks per page in the lists.
LUOSHI_PAGE_SIZE = env_int("LUOSHI_PAGE_SIZE", 50, minimum=10, maximum=500)
# --- 倒排工期 (plans) ---------------------------------------------------------
# 留有余地: a project keeps at least max(N working days, P% of its chain) before the deadline.
LUOSHI_PLAN_MIN_BUFFER_DAYS = env_int("LUOSHI_PLAN_MIN_BUFFER_DAYS", 5, minimum=0, maximum=250)
LUOSHI_PLAN_MIN_BUFFER_PERCENT = env_int("LUOSHI_PLAN_MIN_BUFFER_PERCENT", 15, minimum=0, maximum=100)
# 大头靠前: warn when less than this share of the work falls in the first half of the window.
LUOSHI_PLAN_FRONT_WARNING_PERCENT = env_int("LUOSHI_PLAN_FRONT_WARNING_PERCENT", 60, minimum=0, maximum=100)
# 序时进度: an item more than this many points of its annual target behind its profile is red; behind at all, yellow.
LUOSHI_PLAN_RED_POINTS = env_int("LUOSHI_PLAN_RED_POINTS", 10, minimum=0, maximum=100)
# 还本付息: warn this many days before a payment the month's collected revenue does not cover.
try:
    LUOSHI_DEBT_WARNING_DAYS = sorted(int(d) for d in env_list("LUOSHI_DEBT_WARNING_DAYS", ["30", "15", "7"]))
except ValueError:
    raise ConfigError("环境变量 LUOSHI_DEBT_WARNING_DAYS 应为逗号分隔的天数,如 30,15,7。") from None
# A form's body, files aside: room for the document intake's pasted text at its 2-million-character limit
# (about 18 MB once form-encoded), so that the intake refuses a longer paste in Chinese, not Django with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 24 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Notifications and background work (luoshi/notify) ---------------------------
# Django's tasks API (DEP 14) on Django 5.2 through django-tasks; the database backend needs no broker.
# `manage.py db_worker` runs the tasks, `manage.py notify_scheduler` enqueues the periodic ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The site's address as users reach it, for the links in emails, robot messages and SMS.
LUOSHI_SITE_URL = env_str("LUOSHI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Webhooks and the SMS gateway may only be reached on these hosts (a webhook field is no way into the intranet).
LUOSHI_NOTIFY_ALLOWED_HOSTS = env_list("LUOSHI_NOTIFY_ALLOWED_HOSTS", ["oapi.dingtalk.com", "qyapi.weixin.qq.com"])
# Sending: attempts before a delivery becomes a dead letter, the first retry delay (doubled each time,
# with jitter), how long a worker holds a claimed delivery before another may take it, the HTTP timeout.
LUOSHI_NOTIFY_MAX_ATTEMPTS = env_int("LUOSHI_NOTIFY_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
LUOSHI_NOTIFY_RETRY_SECONDS = env_int("LUOSHI_NOTIFY_RETRY_SECONDS", 60, minimum=1, maximum=3600)
LUOSHI_NOTIFY_LEASE_SECONDS = env_int("LUOSHI_NOTIFY_LEASE_SECONDS", 300, minimum=5, maximum=3600)
LUOSHI_NOTIFY_TIMEOUT_SECONDS = env_int("LUOSHI_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1, maximum=120)
# Quiet hours (HH:MM-HH:MM): outside 特急, messages wait for the next working morning. Digest time.
LUOSHI_NOTIFY_QUIET_HOURS = env_str("LUOSHI_NOTIFY_QUIET_HOURS", "22:00-07:30")
LUOSHI_NOTIFY_DIGEST_TIME = env_str("LUOSHI_NOTIFY_DIGEST_TIME", "08:30")
# Email over SMTP.
EMAIL_HOST = env_str("LUOSHI_SMTP_HOST", "")
EMAIL_PORT = env_int("LUOSHI_SMTP_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("LUOSHI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("LUOSHI_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LUOSHI_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("LUOSHI_SMTP_SSL", False)
EMAIL_TIMEOUT = LUOSHI_NOTIFY_TIMEOUT_SECONDS
DEFAULT_FROM_EMAIL = env_str("LUOSHI_SMTP_FROM", "luoshi@localhost")
# The county's SMS gateway: URL, method, body template ({mobile}, {text}, JSON-escaped) and the text its
# answer must contain to count as sent. Empty URL: no SMS.
LUOSHI_SMS_URL = env_str("LUOSHI_SMS_URL", "")
LUOSHI_SMS_METHOD = env_str("LUOSHI_SMS_METHOD", "POST")
LUOSHI_SMS_BODY = env_str("LUOSHI_SMS_BODY", '{{"mobile": "{mobile}", "content": "{text}"}}')
LUOSHI_SMS_CONTENT_TYPE = env_str("LUOSHI_SMS_CONTENT_TYPE", "application/json")
LUOSHI_SMS_SUCCESS = env_str("LUOSHI_SMS_SUCCESS", '"code": 0')

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LUOSHI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- 破难题 ----------------------------------------------------------------
# Working days each level of the three-level handling has before it must conclude or go up (一级/二级/三级).
LUOSHI_PROBLEM_LEVEL_WORKDAYS = [
    env_int("LUOSHI_PROBLEM_LEVEL1_WORKDAYS", 20, minimum=1, maximum=250),
    env_int("LUOSHI_PROBLEM_LEVEL2_WORKDAYS", 15, minimum=1, maximum=250),
    env_int("LUOSHI_PROBLEM_LEVEL3_WORKDAYS", 10, minimum=1, maximum=250),
]
# A 三重一大 decision needs at least this share of its members present (percent, 2/3 by the usual rule).
LUOSHI_DECISION_QUORUM_PERCENT = env_int("LUOSHI_DECISION_QUORUM_PERCENT", 67, minimum=1, maximum=100)
# Risks at or above this score (likelihood × impact) go into the meeting pack, as do rising ones.
LUOSHI_RISK_PACK_SCORE = env_int("LUOSHI_RISK_PACK_SCORE", 15, minimum=1, maximum=25)

# --- 留痕 (luoshi.audit) -----------------------------------------------------------
# The trace's hash chain is keyed (HMAC-SHA256): someone with database access alone cannot rewrite an entry
# and recompute the chain after it. Keep the key outside the database and its backups, and never change it
# (the entries written under the old key would no longer verify). Unset: derived from SECRET_KEY.
LUOSHI_AUDIT_KEY = env_str("LUOSHI_AUDIT_KEY") or SECRET_KEY
