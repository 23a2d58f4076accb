"""Production: PostgreSQL, Redis, whitenoise, secure cookies. Refuses to start with unsafe values."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, STORAGES, WECOM_API_BASE, WECOM_WEBHOOK_URLS, env

DEBUG = False

SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 32 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site answers to.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
    "ALLOW_SQLITE", default=False
):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if any(not url.startswith("https://") for url in WECOM_WEBHOOK_URLS) or not WECOM_API_BASE.startswith(
    "https://"
):
    raise ImproperlyConfigured("WECOM_WEBHOOK_URLS and WECOM_API_BASE must be https addresses in production.")
for _name in ("ALIYUN_SMS_ENDPOINT", "TENCENT_SMS_ENDPOINT"):
    if not env(_name, default="https://").startswith("https://"):
        raise ImproperlyConfigured(f"{_name} must be an https address in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# whitenoise serves the collected static files right after the security middleware.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
