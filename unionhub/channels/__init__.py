"""How a notice leaves UnionHub: the transports beside the in-app list and e-mail — SMS through a provider
(Alibaba Cloud, Tencent Cloud, or the console in the embedded default) and WeCom (a group robot's webhook,
or an application message to a user's WeCom id).

Every transport answers one ``SendResult``; the notification service (who gets what, when, how often,
retries, the delivery log) sits above and knows no provider. A transport never raises for a provider's
answer: an error body, a timeout or a refused connection is a failed ``SendResult`` saying whether trying
again later may help (``transient``). It raises only for our own mistakes (a missing setting).

Settings (``unionhub/settings/base.py``):
- ``SMS_BACKEND``: a dotted path to an ``SmsBackend`` class — ``unionhub.channels.console.ConsoleSms``
  (default), ``unionhub.channels.aliyun.AliyunSms``, ``unionhub.channels.tencent.TencentSms``;
- the provider's keys, sign name and template codes (``SMS_*``); the WeCom corp id, application secret
  and agent id (``WECOM_*``)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SendResult:
    """What one attempt to send came to."""

    ok: bool
    provider_id: str = ""  # the provider's message/request id, to match delivery reports
    error_code: str = ""  # the provider's error code (or ``timeout``, ``connection``, ``http-503``)
    error_message: str = ""  # the provider's message, for the delivery log
    transient: bool = False  # a failure that may pass: retry later (throttling, 5xx, timeout)

    @classmethod
    def sent(cls, provider_id: str = "") -> "SendResult":
        return cls(ok=True, provider_id=provider_id)

    @classmethod
    def failed(cls, code: str, message: str = "", *, transient: bool = False) -> "SendResult":
        return cls(ok=False, error_code=code, error_message=message[:500], transient=transient)


@dataclass(frozen=True)
class SmsMessage:
    """One text message: to one mainland mobile number, from an approved template.

    Chinese providers send only pre-approved templates: ``template`` names one of ours (a key of
    ``SMS_TEMPLATES``, e.g. ``"notice"``, ``"code"``), which the backend maps to its template code;
    ``params`` fill the template's variables; ``text`` is the message as the person will read it (the
    console backend writes it, the delivery log shows it). No ID numbers, hardship or case details: only
    what the person needs and a link."""

    phone: str
    template: str
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""


class SmsBackend:
    """One SMS provider. Subclasses implement ``send``."""

    name = "sms"

    def send(self, message: SmsMessage) -> SendResult:
        raise NotImplementedError


def sms_backend() -> SmsBackend:
    """The configured SMS backend (``SMS_BACKEND``), a new instance each call (settings may change in tests)."""
    return import_string(settings.SMS_BACKEND)()
