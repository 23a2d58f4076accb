"""Settings shared by every environment, read from the environment with django-environ.

With nothing set, UnionHub runs embedded: SQLite at ``var/db.sqlite3``, media under
``var/media``, e-mail to the console and Celery tasks run eagerly in process.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from programmes import PROGRAMMES

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "axes",
    "auditlog",
    "unionhub",
    "members",
    *PROGRAMMES,
]

# The Content-Security-Policy on every response (django-csp; Django 6 has one built in): scripts only from
# the site itself — no inline script, no event-handler attributes, no eval — so that markup slipped into a
# page, or a stored file opened in the browser, cannot run. The few behaviours pages need (a select that
# submits its filter form, a button that asks for confirmation) are in static/js/app.js, wired by data-
# attributes. Styles may be inline (style attributes and the <style> blocks of print pages); a style cannot
# run code. Images may be data: URIs (the QR codes drawn in place). Nothing may frame the site, and forms post
# only back to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "unionhub.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "perks.middleware.MerchantOnlyCheckMiddleware",
    "unionhub.middleware.CodeSessionConfinedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionhub.urls"
WSGI_APPLICATION = "unionhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionhub.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a seed or import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
# Our own number formats for zh_Hans (a comma every three digits), see unionhub/formats/.
FORMAT_MODULE_PATH = ["unionhub.formats"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "unionhub.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: five in a row for one user name from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    # Every stored file gets a random name with the extension of its content (unionhub/storage.py).
    "default": {"BACKEND": "unionhub.storage.RandomNameStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Backups (manage.py backup / restore, the nightly task): archives go to BACKUP_DIR; the nightly run keeps the
# newest archive of each of the last BACKUP_KEEP_DAILY days, BACKUP_KEEP_WEEKLY ISO weeks and
# BACKUP_KEEP_MONTHLY months, and deletes the rest.
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=14)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=8)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=12)
if min(BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY) < 0:
    raise ImproperlyConfigured(
        "BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY and BACKUP_KEEP_MONTHLY must not be negative."
    )

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="unionhub@localhost")

# Stored files are delivered by a view that checks who asks (unionhub.files); nothing under MEDIA_ROOT is
# served directly. Embedded, the view streams them; in production it hands the transfer to the web server:
# "x-accel-redirect" (nginx, an ``internal`` location at FILES_OFFLOAD_PREFIX aliased to MEDIA_ROOT) or
# "x-sendfile" (Apache mod_xsendfile, lighttpd).
FILES_OFFLOAD = env("FILES_OFFLOAD", default="")
if FILES_OFFLOAD not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured('FILES_OFFLOAD must be "x-accel-redirect", "x-sendfile" or empty.')
FILES_OFFLOAD_PREFIX = env("FILES_OFFLOAD_PREFIX", default="/protected-media/")

# Celery: a broker URL means real workers; without one, tasks run eagerly in process.
# The cache holds the public complaint form's rate limits and one-time form tokens, which must be
# shared by every web worker: Redis when REDIS_CACHE_URL (or a redis:// broker) is set, else memory
# in the one process of the embedded default.
CACHE_URL = env("REDIS_CACHE_URL", default="") or (
    env("CELERY_BROKER_URL", default="") if env("CELERY_BROKER_URL", default="").startswith("redis") else ""
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "unionhub",
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = (
        "memory://localhost//"  # never used while eager; stops kombu guessing amqp://localhost
    )
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
# WeasyPrint grows a worker by ~1.4 GB over 50 renders (DESIGN.md): recycle at 512 MB.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "dues-daily": {
        # Open new dues periods, remind chairs a week before a due date and when one passes.
        "task": "members.tasks.dues_daily",
        "schedule": crontab(hour=7, minute=30),
    },
    "secondment-daily": {
        # Remind cadres the working day before their duty day; complete terms that have ended.
        "task": "secondment.tasks.secondment_daily",
        "schedule": crontab(hour=9, minute=0),
    },
    "case-deadlines": {
        # Remind handlers (or casework staff) of limitation and handling deadlines within 30 days.
        "task": "grievances.tasks.remind_case_deadlines",
        "schedule": crontab(hour=8, minute=30),
    },
    "associations-behind": {
        # Remind the chairs of associations behind their yearly plan (once a month).
        "task": "associations.tasks.remind_associations_behind",
        "schedule": crontab(hour=9, minute=30, day_of_month="1,15"),
    },
    "cards-for-ended-memberships": {
        # Cancel the cards of memberships that ended without a signal (bulk imports); the daily sweep.
        "task": "perks.tasks.cancel_cards_for_ended_memberships",
        "schedule": crontab(hour=6, minute=30),
    },
    "merchant-agreements-ending": {
        # Remind staff 30 days before a partner merchant's agreement ends.
        "task": "perks.tasks.remind_agreements_ending",
        "schedule": crontab(hour=8, minute=45),
    },
    "notices-sweep": {
        # Send the deliveries that have come due: retries, texts held by quiet hours or the rate limit.
        "task": "unionhub.tasks.sweep_deliveries",
        "schedule": crontab(minute="*/2"),
    },
    "phone-codes-purge": {
        # Sign-in codes are kept only as long as they can matter (a day), then deleted.
        "task": "unionhub.tasks.purge_phone_codes",
        "schedule": crontab(hour=3, minute=40),
    },
    "notices-digest": {
        # The daily digest of e-mail copies, for the users who asked for it.
        "task": "unionhub.tasks.send_notice_digests",
        "schedule": crontab(hour=18, minute=0),
    },
    "monthly-reports": {
        # The previous month's district report (and any missed month), 02:00 on the 1st.
        "task": "unionhub.tasks.monthly_reports",
        "schedule": crontab(hour=2, minute=0, day_of_month=1),
    },
    "workers-homes-due": {
        # Remind chairs and staff of workers'-home re-inspections falling due within the reminder window.
        "task": "homes.tasks.remind_workers_home_due",
        "schedule": crontab(hour=8, minute=15),
    },
    "honours-daily": {
        # Issue the honours of award rounds whose public notice (公示) has ended.
        "task": "honours.tasks.honours_daily",
        "schedule": crontab(hour=7, minute=45),
    },
    "enrolment-deadlines": {
        # Remind chairs with open school-place requests (and aid staff) before enrolment deadlines.
        "task": "aid.tasks.remind_enrolment_deadlines",
        "schedule": crontab(hour=8, minute=20),
    },
    "nightly-backup": {
        # One archive of the database and the stored files into BACKUP_DIR, then pruning (unionhub/backups.py).
        "task": "unionhub.tasks.nightly_backup",
        "schedule": crontab(hour=1, minute=30),
    },
    "holiday-calendar-check": {
        # Each November the State Council publishes next year's schedule: remind staff
        # until next year's calendar has been entered.
        "task": "unionhub.tasks.check_next_year_calendar",
        "schedule": crontab(hour=8, minute=0, day_of_month="1,15"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        # WeasyPrint logs every rendering step, fontTools every subset, at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Site-wide figures a federation can change without code.
# The federation's name in the page header; empty means the translated default name.
UNIONHUB_FEDERATION_NAME = env("UNIONHUB_FEDERATION_NAME", default="")
# The site's public address, printed on certificates as their verification link (and QR code);
# empty prints the path only. Production sets it, e.g. https://union.example.cn
SITE_URL = env("SITE_URL", default="")
# Days a one-time sign-in link (first sign-in, handover, forgotten password) stays valid.
SIGNIN_LINK_DAYS = env.int("SIGNIN_LINK_DAYS", default=7)
# One-time sign-in codes by SMS (unionhub/phone_codes.py, the member area): minutes a code is valid; at most one
# code a PHONE_CODE_INTERVAL_SECONDS, PHONE_CODES_PER_HOUR / _PER_DAY per number, PHONE_CODES_PER_ADDRESS_HOUR per
# client address, PHONE_CODE_TRIES_PER_HOUR wrong codes per number.
PHONE_CODE_MINUTES = env.int("PHONE_CODE_MINUTES", default=5)
PHONE_CODE_INTERVAL_SECONDS = env.int("PHONE_CODE_INTERVAL_SECONDS", default=60)
PHONE_CODES_PER_HOUR = env.int("PHONE_CODES_PER_HOUR", default=5)
PHONE_CODES_PER_DAY = env.int("PHONE_CODES_PER_DAY", default=10)
PHONE_CODES_PER_ADDRESS_HOUR = env.int("PHONE_CODES_PER_ADDRESS_HOUR", default=30)
PHONE_CODE_TRIES_PER_HOUR = env.int("PHONE_CODE_TRIES_PER_HOUR", default=10)
# The member area (/m/): days a session opened with a code lasts; the version of the privacy notice a member
# accepts at first sign-in (raise it when the notice's text changes: everyone is asked again).
MEMBER_AREA_PREFIX = "/m/"
MEMBER_SESSION_DAYS = env.int("MEMBER_SESSION_DAYS", default=30)
MEMBER_PRIVACY_VERSION = "2026-12"
# SMS (unionhub/channels): the backend class; the embedded default appends each message to SMS_LOG_FILE.
SMS_BACKEND = env("SMS_BACKEND", default="unionhub.channels.console.ConsoleSms")
SMS_LOG_FILE = Path(env("SMS_LOG_FILE", default=str(VAR_DIR / "sms.log")))  # a pathlib.Path (env.path is not)
# The provider's approved sign name (短信签名) and our templates' provider codes, e.g.
# SMS_TEMPLATES=notice=SMS_123456,code=SMS_654321 (Alibaba Cloud) or notice=1234567,code=7654321 (Tencent Cloud).
# Tencent Cloud fills a template's variables in order: SMS_TEMPLATE_PARAMS=notice=kind,link;code=code names our
# parameters in each template's order. The keys have no defaults: a provider backend without them refuses to
# send (ImproperlyConfigured at first use); the console backend needs none.
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="")
SMS_TEMPLATES = env.dict("SMS_TEMPLATES", default={})
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=5)


def _template_params(value: str) -> dict[str, list[str]]:
    """``notice=kind,link;code=code`` → ``{"notice": ["kind", "link"], "code": ["code"]}``."""
    result = {}
    for entry in filter(None, (part.strip() for part in value.split(";"))):
        template, sep, names = entry.partition("=")
        if not sep or not template.strip():
            raise ImproperlyConfigured(f"SMS_TEMPLATE_PARAMS: {entry!r} is not template=name,name.")
        result[template.strip()] = [name.strip() for name in names.split(",") if name.strip()]
    return result


SMS_TEMPLATE_PARAMS = _template_params(env("SMS_TEMPLATE_PARAMS", default=""))
ALIYUN_SMS_ACCESS_KEY_ID = env("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_ENDPOINT = env("ALIYUN_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com")
ALIYUN_SMS_REGION = env("ALIYUN_SMS_REGION", default="cn-hangzhou")
TENCENT_SMS_SECRET_ID = env("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_SDK_APP_ID = env("TENCENT_SMS_SDK_APP_ID", default="")
TENCENT_SMS_ENDPOINT = env("TENCENT_SMS_ENDPOINT", default="https://sms.tencentcloudapi.com")
TENCENT_SMS_REGION = env("TENCENT_SMS_REGION", default="ap-guangzhou")
# WeCom (企业微信): the application that sends messages to users' WeCom ids, and the group robot webhooks
# that may be posted to (addresses that begin with one of WECOM_WEBHOOK_URLS followed by ?key=).
WECOM_CORP_ID = env("WECOM_CORP_ID", default="")
WECOM_AGENT_ID = env("WECOM_AGENT_ID", default="")
WECOM_SECRET = env("WECOM_SECRET", default="")
WECOM_API_BASE = env("WECOM_API_BASE", default="https://qyapi.weixin.qq.com")
WECOM_WEBHOOK_URLS = env.list(
    "WECOM_WEBHOOK_URLS", default=["https://qyapi.weixin.qq.com/cgi-bin/webhook/send"]
)
# Notices (unionhub/notify): texts to one number at most this many an hour / a day (more wait, never dropped);
# a transient failure is tried again after these minutes, at most NOTIFY_MAX_ATTEMPTS times in all;
# no SMS between these hours (local time) unless a deadline is due by the next day.
NOTIFY_SMS_PER_HOUR = env.int("NOTIFY_SMS_PER_HOUR", default=5)
NOTIFY_SMS_PER_DAY = env.int("NOTIFY_SMS_PER_DAY", default=20)
NOTIFY_RETRY_MINUTES = tuple(env.list("NOTIFY_RETRY_MINUTES", cast=int, default=[1, 5, 30, 120]))
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_QUIET_HOURS = (21, 8)
# The secret path segment of the SMS providers' delivery-receipt push URLs (/notices/receipts/<provider>/<token>/);
# empty (the default) turns the receipt endpoints off (404).
NOTIFY_RECEIPT_TOKEN = env("NOTIFY_RECEIPT_TOKEN", default="")
UNIONHUB_PAGE_SIZE = 50
# Days the old union's chair has to contest a member's transfer to another union.
UNIONHUB_TRANSFER_CONTEST_DAYS = env.int("UNIONHUB_TRANSFER_CONTEST_DAYS", default=15)
# Four eyes (四眼原则): money leaves the federation only when someone other than its proposer
# approves it (aid applications, hardship files, mutual-aid claims, fund reversals). A federation
# with a single staff member turns it off; every approval made then says so in its audit entry.
UNIONHUB_FOUR_EYES = env.bool("UNIONHUB_FOUR_EYES", default=True)
# A rated workers' home (职工之家) is re-inspected this many months after its last inspection; the
# chair and staff are reminded WORKERS_HOME_REMINDER_DAYS before it falls due.
WORKERS_HOME_REINSPECTION_MONTHS = env.int("WORKERS_HOME_REINSPECTION_MONTHS", default=36)
WORKERS_HOME_REMINDER_DAYS = env.int("WORKERS_HOME_REMINDER_DAYS", default=30)
if not 1 <= WORKERS_HOME_REINSPECTION_MONTHS <= 120 or not 1 <= WORKERS_HOME_REMINDER_DAYS <= 365:
    raise ImproperlyConfigured(
        "WORKERS_HOME_REINSPECTION_MONTHS must be 1–120 and WORKERS_HOME_REMINDER_DAYS 1–365."
    )
