"""The seam between the notification service and the transports of ``unionhub.channels``: one function per
channel, each answering a ``SendResult``. The WeCom transports are resolved by dotted path when called, so the
service works (a WeCom delivery fails with ``not-configured``) before ``unionhub.channels.wecom`` exists; tests
patch these functions or point a webhook at a local server."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from unionhub.channels import SendResult, SmsMessage, sms_backend

WECOM_GROUP = "unionhub.channels.wecom.send_group_text"
WECOM_APP = "unionhub.channels.wecom.WeComApp"


def sms(
    phone: str, text: str, *, template: str = "notice", params: dict | None = None
) -> tuple[str, SendResult]:
    """Send one text from one of our templates (``SMS_TEMPLATES``); answers the provider's name and the result."""
    backend = sms_backend()
    return backend.name, backend.send(
        SmsMessage(phone=phone, template=template, params=params or {}, text=text)
    )


def email(address: str, subject: str, text: str) -> SendResult:
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    except OSError as error:  # SMTP refused or unreachable: may pass
        return SendResult.failed("smtp", str(error), transient=True)
    return SendResult.sent()


def _resolve(path: str):
    try:
        return import_string(path)
    except ImportError:
        return None


def wecom_group(webhook_url: str, text: str) -> SendResult:
    send_group_text = _resolve(WECOM_GROUP)
    if send_group_text is None:
        return SendResult.failed("not-configured", "unionhub.channels.wecom is not installed")
    return send_group_text(webhook_url, text)


def wecom_app(user_ids: list[str], text: str) -> SendResult:
    app_class = _resolve(WECOM_APP)
    corp_id = getattr(settings, "WECOM_CORP_ID", "")
    if app_class is None or not corp_id:
        return SendResult.failed(
            "not-configured", "WeCom application messages are not configured (WECOM_CORP_ID)"
        )
    app = app_class(corp_id, getattr(settings, "WECOM_SECRET", ""), getattr(settings, "WECOM_AGENT_ID", ""))
    return app.send_text(user_ids, text)
