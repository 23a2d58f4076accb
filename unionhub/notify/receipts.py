"""SMS delivery receipts (状态报告): the providers push what became of each text to our URL, and a text we sent
becomes ``delivered`` (with the time the phone got it) or ``failed`` (with the provider's code and words).

The bodies, as the providers document them, are JSON arrays, one report per text:

- Alibaba Cloud, SmsReport in HTTP batch-push mode: ``phone_number``, ``success`` (bool), ``biz_id`` (the
  ``BizId`` that ``SendSms`` answered), ``out_id``, ``send_time``, ``report_time``, ``err_code``
  (``DELIVERED`` …), ``err_msg``, ``sms_size``; it expects ``{"code": 0, "msg": …}``.
- Tencent Cloud, the SMS status callback: ``user_receive_time``, ``nationcode``, ``mobile``,
  ``report_status`` (``SUCCESS``/``FAIL``), ``errmsg`` (the receipt code, ``DELIVRD`` …), ``description``,
  ``sid`` (the ``SerialNo`` that ``SendSms`` answered); it expects ``{"result": 0, "errmsg": "OK"}``.

Parsing is pure and all or nothing (one bad report refuses the body, nothing is recorded). Recording is
idempotent: only a text still ``sent`` moves, so a report pushed twice (the providers retry) changes
nothing, and an id we never sent is ignored. Times are the providers' local (Beijing) wall-clock times."""

import datetime
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .kinds import SMS
from .models import Delivery

ALIYUN = "aliyun"  # the provider names the SMS backends record (AliyunSms.name, TencentSms.name)
TENCENT = "tencent"
MAX_BODY = 256 * 1024  # bytes; a provider pushes a batch of reports, never this much
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
BEIJING = datetime.timezone(
    datetime.timedelta(hours=8)
)  # both providers report Beijing times, without a zone


class BadReport(ValueError):
    """The body is not the documented list of reports; the message says what is wrong (English, for logs)."""


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    ok: bool
    error_code: str = ""
    error_message: str = ""
    at: datetime.datetime | None = None  # when the phone got it (or the report was made), if given


def parse_body(body: bytes) -> list:
    """The JSON array of a push body; ``BadReport`` for anything else (bad bytes, bad JSON, deep nesting)."""
    try:
        items = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise BadReport("the body is not JSON") from error
    if not isinstance(items, list):
        raise BadReport("the body is not a JSON array")
    return items


def _text(item: dict, name: str, number: int, *, required: bool = False) -> str:
    value = item.get(name, "")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadReport(f"report {number}: {name} is missing or not a string")
    return value.strip()


def _time(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=BEIJING)
    except ValueError:
        return None


def _items(items: list) -> list[tuple[int, dict]]:
    numbered = list(enumerate(items, start=1))
    for number, item in numbered:
        if not isinstance(item, dict):
            raise BadReport(f"report {number} is not an object")
    return numbered


def aliyun_receipts(items: list) -> list[Receipt]:
    receipts = []
    for number, item in _items(items):
        success = item.get("success")
        if not isinstance(success, bool):
            raise BadReport(f"report {number}: success is missing or not true/false")
        receipts.append(
            Receipt(
                provider_id=_text(item, "biz_id", number, required=True),
                ok=success,
                error_code=_text(item, "err_code", number),
                error_message=_text(item, "err_msg", number),
                at=_time(_text(item, "report_time", number)),
            )
        )
    return receipts


def tencent_receipts(items: list) -> list[Receipt]:
    receipts = []
    for number, item in _items(items):
        status = item.get("report_status")
        if status not in ("SUCCESS", "FAIL"):
            raise BadReport(f"report {number}: report_status is not SUCCESS or FAIL")
        receipts.append(
            Receipt(
                provider_id=_text(item, "sid", number, required=True),
                ok=status == "SUCCESS",
                error_code=_text(item, "errmsg", number),
                error_message=_text(item, "description", number),
                at=_time(_text(item, "user_receive_time", number)),
            )
        )
    return receipts


PARSERS = {ALIYUN: aliyun_receipts, TENCENT: tencent_receipts}


def parse_receipts(provider: str, body: bytes) -> list[Receipt]:
    return PARSERS[provider](parse_body(body))


def record_receipts(*, provider: str, reports: list[Receipt]) -> int:
    """Record one push of ``provider``'s receipts; answers how many deliveries moved. No acting user: the
    secret URL is the provider's authority, and only texts that provider sent (still ``sent``) can move."""
    moved = 0
    now = timezone.now()
    with transaction.atomic():
        for report in reports:
            rows = Delivery.objects.filter(
                channel=SMS, provider=provider, provider_id=report.provider_id, status=Delivery.Status.SENT
            )
            if report.ok:
                changes = {"status": Delivery.Status.DELIVERED, "delivered_at": report.at or now}
            else:
                changes = {
                    "status": Delivery.Status.FAILED,
                    "error_code": report.error_code[:50],
                    "error_message": report.error_message[:500],
                }
            moved += rows.update(**changes)
    return moved
