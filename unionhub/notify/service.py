"""The one notification service: every notice goes in through ``send_notice`` (``unionhub.notices.notify``
calls it), leaves as one ``Delivery`` per channel and recipient, and is sent by ``deliver`` — which claims
its row first, so that two schedulers never send the same one.

- **Idempotency**: the in-app ``Notice`` is unique per (user, key), a ``Delivery`` per (key, channel,
  recipient); creating either twice creates nothing (the ``IntegrityError`` is caught).
- **Claiming**: ``deliver`` moves a row from queued to sending with one conditional UPDATE (only when its
  ``next_attempt_at`` has come); the worker whose UPDATE changed a row sends it, any other does nothing.
- **Retries**: a transient failure (throttling, 5xx, timeout) is queued again after ``NOTIFY_RETRY_MINUTES``;
  after ``NOTIFY_MAX_ATTEMPTS`` it has failed. The beat sweep (``sweep``) sends what has come due, so retries
  work with a real worker and with eager tasks alike.
- **Quiet hours**: a user's SMS is not sent between ``NOTIFY_QUIET_HOURS`` (21:00–08:00 local time) but
  deferred to their end, unless the notice is a deadline due by the next day.
- **Rate limit**: at most ``NOTIFY_SMS_PER_HOUR`` / ``NOTIFY_SMS_PER_DAY`` texts to one number; more wait
  (held) until the window allows.
- **Digest**: a user who asked for it gets the e-mail copies of routine kinds as one e-mail at 18:00
  (``send_digests``).
- **Privacy**: SMS and WeCom texts say the kind and a link; never the notice's body, never case or hardship
  details; the log keeps the phone masked and a digest of the number for the rate limit."""

import datetime
import hashlib
import logging

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..access import has_role
from ..enqueue import enqueue_on_commit, task_named
from ..masking import mask_phone
from ..models import Notice, User
from . import transports
from .kinds import EMAIL, INAPP, OTHER, SMS, WECOM, Kind, get_kind, kind_of
from .models import Delivery, NoticePreference, WeComGroup

logger = logging.getLogger(__name__)

DELIVER_TASK = "unionhub.tasks.deliver_notices"
GROUP = "wecom-group"  # a group robot's delivery: channel "wecom", recipient "group:<id>"
SENDING_TIMEOUT = datetime.timedelta(minutes=10)  # a row left "sending" by a lost worker is taken up again
Status = Delivery.Status


# --- who gets what --------------------------------------------------------------------------------------


def user_roles(user, kind: Kind) -> list[str]:
    """The roles among those ``kind`` has defaults for that ``user`` holds."""
    return [role for role in kind.roles if has_role(user, role)]


def default_channels(user, kind: Kind) -> set[str]:
    return kind.channels_for(user_roles(user, kind))


def channels_for(user, kind: Kind) -> set[str]:
    """The channels this user receives ``kind`` on: their preference, or the defaults of their roles; in-app always."""
    preference = (
        NoticePreference.objects.filter(user=user, kind=kind.name).values_list("channels", flat=True).first()
    )
    if preference is None:
        return default_channels(user, kind)
    return {INAPP} | set(preference)


def groups_for(user, kind: Kind) -> list[WeComGroup]:
    """The active WeCom groups that take ``kind`` and one of whose duties a staff ``user`` holds."""
    if not user.is_federation_staff:
        return []
    duties = set(user.groups.values_list("pk", flat=True))
    groups = WeComGroup.objects.filter(is_active=True, duties__in=duties).distinct() if duties else []
    return [group for group in groups if kind.name in (group.kinds or [])]


# --- texts ------------------------------------------------------------------------------------------------


def link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL


def short_text(kind: Kind, url: str) -> str:
    """The SMS (and, for sensitive kinds, WeCom) text: the kind and a link, in Chinese, nothing else."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("You have a new notice: %(kind)s.") % {"kind": kind.label}
        target = link(url)
        return f"{text} {_('Details: %(link)s') % {'link': target}}" if target else text


def wecom_text(kind: Kind, title: str, url: str) -> str:
    if kind.sensitive or kind is OTHER and not title:
        return short_text(kind, url)
    target = link(url)
    return f"{title}\n{target}" if target else title


def email_text(body: str, url: str) -> str:
    return f"{body}\n\n{url}".strip()


def phone_hash(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return hashlib.sha256(digits.encode()).hexdigest() if digits else ""


# --- queuing ------------------------------------------------------------------------------------------------


def quiet_until(
    now: datetime.datetime, *, kind: Kind, due: datetime.date | None = None
) -> datetime.datetime | None:
    """When an SMS created at ``now`` may go if quiet hours hold it back, else None (send now)."""
    start, end = settings.NOTIFY_QUIET_HOURS
    local = timezone.localtime(now)
    if end <= local.hour < start:
        return None
    if kind.deadline and due is not None and due <= local.date() + datetime.timedelta(days=1):
        return None
    day = local.date() + datetime.timedelta(days=1) if local.hour >= start else local.date()
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(end)), timezone.get_current_timezone()
    )


def _create(delivery: Delivery) -> Delivery | None:
    """Create the row unless it exists (another scheduler made it first): get-or-nothing."""
    try:
        with transaction.atomic():
            delivery.save(force_insert=True)
    except IntegrityError:
        return None
    return delivery


def _create_all(rows: list[Delivery]) -> list[Delivery]:
    """Create the rows in one statement; if any exists already (a second scheduler), each on its own."""
    try:
        with transaction.atomic():
            return Delivery.objects.bulk_create(rows)
    except IntegrityError:
        for row in rows:
            row.pk = None
        return [row for row in rows if _create(row) is not None]


def _queue(
    *,
    user,
    notice,
    kind: Kind,
    channels: set[str],
    title: str,
    body: str,
    url: str,
    due=None,
    now=None,
    quiet: bool = True,
    groups: bool = True,
    enqueue: bool = True,
) -> list[Delivery]:
    """The deliveries of one notice: one per channel (and WeCom group); created ones are returned."""
    now = now or timezone.now()
    common = {"key": notice.key, "kind": kind.name, "notice": notice, "next_attempt_at": now}
    rows = []
    if INAPP in channels:
        rows.append(
            Delivery(
                **common,
                channel=INAPP,
                user=user,
                target_key=f"user:{user.pk}",
                target=str(user)[:100],
                subject=title[:200],
                text=body,
                status=Status.DELIVERED,
                sent_at=now,
                provider="inapp",
            )
        )
    if EMAIL in channels and user.email:
        held = user.daily_digest and kind.digestible
        rows.append(
            Delivery(
                **{**common, "next_attempt_at": None if held else now},
                channel=EMAIL,
                user=user,
                target_key=f"user:{user.pk}",
                target=user.email[:100],
                subject=title[:200],
                text=email_text(body, url),
                status=Status.HELD if held else Status.QUEUED,
            )
        )
    if SMS in channels and user.phone:
        later = quiet_until(now, kind=kind, due=due) if quiet and user.quiet_hours else None
        rows.append(
            Delivery(
                **{**common, "next_attempt_at": later or now},
                channel=SMS,
                user=user,
                target_key=f"user:{user.pk}",
                target=mask_phone(user.phone),
                address_hash=phone_hash(user.phone),
                text=short_text(kind, url),
            )
        )
    if WECOM in channels and user.wecom_userid:
        rows.append(
            Delivery(
                **common,
                channel=WECOM,
                user=user,
                target_key=f"user:{user.pk}",
                target=user.wecom_userid[:100],
                text=wecom_text(kind, title, url),
            )
        )
    if groups:
        for group in groups_for(user, kind):
            rows.append(
                Delivery(
                    **{**common, "notice": None},
                    channel=WECOM,
                    group=group,
                    target_key=f"group:{group.pk}",
                    target=group.name[:100],
                    text=wecom_text(kind, title, url),
                )
            )
    created = _create_all(rows)
    waiting = [row.pk for row in created if row.status == Status.QUEUED and row.next_attempt_at <= now]
    if waiting and enqueue:
        enqueue_on_commit(DELIVER_TASK, waiting)
    return created


def send_notice(
    *,
    user,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    kind: str | None = None,
    due: datetime.date | None = None,
) -> bool:
    """Send a notice unless this user already has one with this key: the in-app notice at once, the other
    channels queued (sent on commit). Returns whether it was new. ``kind`` overrides the key's prefix; ``due``
    is a deadline's date (a deadline due by the next day is texted even in quiet hours)."""
    notice_kind = get_kind(kind) if kind else kind_of(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    user=user, key=key, title=title[:200], body=body, url=url[:200]
                )
        except IntegrityError:
            return False
        channels = channels_for(user, notice_kind)
        if not email:
            channels.discard(EMAIL)
        _queue(
            user=user,
            notice=notice,
            kind=notice_kind,
            channels=channels,
            title=title,
            body=body,
            url=url,
            due=due,
        )
    return True


# --- sending ------------------------------------------------------------------------------------------------


def _claim(delivery_id: int, now) -> Delivery | None:
    claimed = Delivery.objects.filter(pk=delivery_id, status=Status.QUEUED, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("user", "group", "notice").get(pk=delivery_id)


def _rate_limited_until(delivery: Delivery, now) -> datetime.datetime | None:
    """When the number may take one more text, if it has had its share; None: send now."""
    if not delivery.address_hash:
        return None
    day_ago = now - datetime.timedelta(days=1)
    sent = sorted(
        Delivery.objects.filter(channel=SMS, address_hash=delivery.address_hash, sent_at__gt=day_ago)
        .exclude(pk=delivery.pk)
        .exclude(kind=CODE_KIND)  # sign-in codes have limits of their own
        .values_list("sent_at", flat=True)
    )
    hour_ago = now - datetime.timedelta(hours=1)
    last_hour = [at for at in sent if at > hour_ago]
    waits = []
    if len(last_hour) >= settings.NOTIFY_SMS_PER_HOUR:
        waits.append(last_hour[-settings.NOTIFY_SMS_PER_HOUR] + datetime.timedelta(hours=1))
    if len(sent) >= settings.NOTIFY_SMS_PER_DAY:
        waits.append(sent[-settings.NOTIFY_SMS_PER_DAY] + datetime.timedelta(days=1))
    return max(waits) if waits else None


def _send(delivery: Delivery):
    """Hand one claimed delivery to its transport: answers (provider, SendResult)."""
    user = delivery.user
    if delivery.channel == SMS:
        if not user.phone:
            return "sms", transports.SendResult.failed("no-phone", "no mobile number on file")
        # The template's variables (SMS_TEMPLATE_PARAMS names them: notice=kind,link): the kind and the link.
        with translation.override(settings.LANGUAGE_CODE):
            label = str(get_kind(delivery.kind).label)
        target = link(delivery.notice.url if delivery.notice_id else "")
        return transports.sms(user.phone, delivery.text, params={"kind": label, "link": target})
    if delivery.channel == EMAIL:
        if not user.email:
            return "email", transports.SendResult.failed("no-email", "no e-mail address on file")
        return "email", transports.email(user.email, delivery.subject, delivery.text)
    if delivery.group_id:
        return GROUP, transports.wecom_group(delivery.group.webhook_url, delivery.text)
    if not user.wecom_userid:
        return "wecom", transports.SendResult.failed("no-wecom-id", "no WeCom user id on file")
    return "wecom", transports.wecom_app([user.wecom_userid], delivery.text)


def deliver(delivery_id: int, *, now=None) -> str | None:
    """Send one queued delivery whose time has come; answers its new status, or None when there was nothing to
    send (already sent, not due, or claimed by another worker).

    One transaction: the claim locks the row until the outcome is written, so another worker's claim waits and
    then finds it no longer queued (PostgreSQL re-reads the row after the lock). A worker lost mid-send rolls
    back to queued, and the sweep sends it again."""
    with transaction.atomic():
        return _deliver(delivery_id, now=now)


def _deliver(delivery_id: int, *, now=None) -> str | None:
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    if delivery.channel == SMS:
        wait = _rate_limited_until(delivery, now)
        if wait is not None:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Status.HELD,
                next_attempt_at=wait,
                attempts=F("attempts") - 1,
                error_code="rate-limit",
                error_message="the number has had its share of texts; waiting",
            )
            return Status.HELD
    try:
        provider, result = _send(delivery)
    except Exception as error:  # our own mistake (a missing setting): fail the row, keep the worker going
        logger.exception("delivery %s could not be sent", delivery.pk)
        provider, result = (
            delivery.channel,
            transports.SendResult.failed("error", f"{type(error).__name__}: {error}"),
        )
    changes = {
        "provider": provider[:30],
        "provider_id": result.provider_id[:100],
        "error_code": result.error_code[:50],
        "error_message": result.error_message[:500],
    }
    if result.ok:
        changes.update(status=Status.SENT, sent_at=timezone.now())
    elif result.transient and delivery.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        delays = settings.NOTIFY_RETRY_MINUTES
        minutes = delays[min(delivery.attempts, len(delays)) - 1]
        changes.update(status=Status.QUEUED, next_attempt_at=now + datetime.timedelta(minutes=minutes))
    else:
        changes.update(status=Status.FAILED)
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(**changes)
    return changes["status"]


def deliver_many(delivery_ids, *, now=None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        status = deliver(delivery_id, now=now) or "skipped"
        counts[status] = counts.get(status, 0) + 1
    return counts


def sweep(*, now=None, batch: int = 100) -> int:
    """The beat's sweep: take up rows a lost worker left sending, release rate-limited rows whose window allows,
    and queue every delivery that has come due. Answers how many were queued."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Status.SENDING, next_attempt_at__lte=now - SENDING_TIMEOUT).update(
        status=Status.QUEUED
    )
    Delivery.objects.filter(status=Status.HELD, next_attempt_at__lte=now).update(status=Status.QUEUED)
    ids = list(Delivery.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        task_named(DELIVER_TASK).delay(ids[start : start + batch])
    return len(ids)


def send_digests(*, now=None) -> int:
    """One e-mail per user with the copies held for their digest; answers how many e-mails went."""
    now = now or timezone.now()
    held = Delivery.objects.filter(channel=EMAIL, status=Status.HELD, next_attempt_at__isnull=True)
    sent = 0
    for user_id in held.order_by().values_list("user", flat=True).distinct():
        ids = list(held.filter(user=user_id).values_list("pk", flat=True))
        if not Delivery.objects.filter(pk__in=ids, status=Status.HELD).update(
            status=Status.SENDING, next_attempt_at=now
        ):
            continue
        rows = list(
            Delivery.objects.filter(pk__in=ids, status=Status.SENDING)
            .select_related("user")
            .order_by("created_at", "pk")
        )
        if not rows:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("UnionHub: %(count)s notices today") % {"count": len(rows)}
        text = "\n\n".join(f"{row.subject}\n{row.text}".strip() for row in rows)
        result = transports.email(rows[0].user.email, subject, text)
        status = Status.SENT if result.ok else Status.QUEUED
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=status,
            sent_at=now if result.ok else None,
            provider="digest",
            attempts=F("attempts") + 1,
            error_code=result.error_code[:50],
            error_message=result.error_message[:500],
        )
        sent += result.ok
    return sent


# --- a test notice ------------------------------------------------------------------------------------------


# --- one-time sign-in codes -------------------------------------------------------------------------------

CODE_TASK = "unionhub.tasks.send_signin_code"
CODE_KIND = "signin_code"


def send_code(*, phone: str, code: str, minutes: int) -> Delivery:
    """A sign-in code (``unionhub.phone_codes``) to ``phone``: one delivery row, sent by a task queued after
    commit — not in the request, so that asking for a code takes as long for a number on file as for any
    other. No quiet hours and no hold for the number's share of texts (the sign-in has its own limits). The
    log keeps the number masked and the text with the code hidden."""
    now = timezone.now()
    digest = phone_hash(phone)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your sign-in code is %(code)s, valid for %(minutes)s minutes. Do not tell it to anyone.")
    delivery = Delivery.objects.create(
        key=f"signin-code:{digest[:16]}:{now.timestamp():.6f}",
        kind=CODE_KIND,
        channel=SMS,
        target_key=f"phone:{digest[:32]}",
        target=mask_phone(phone),
        address_hash=digest,
        subject="",
        text=text % {"code": "······", "minutes": minutes},
        next_attempt_at=now,
    )
    enqueue_on_commit(CODE_TASK, delivery.pk, phone, text % {"code": code, "minutes": minutes}, code)
    return delivery


def deliver_code(delivery_id: int, phone: str, text: str, code: str) -> str | None:
    """Send the code of one queued code delivery, once (the same claim as every delivery). Not retried: a code
    that comes late has expired; the member asks for another."""
    return _send_to_phone_once(
        delivery_id, phone, text=lambda _delivery: text, template="code", params={"code": code}
    )


def _send_to_phone_once(delivery_id: int, phone: str, *, text, template: str, params) -> str | None:
    """Claim one delivery to a number with no login behind it and send it, once: sent or failed, never retried
    (the number travels only with the task, so the sweep could not send it again). ``text`` and ``params`` may
    be callables of the claimed delivery. Answers the new status, or None when another worker claimed it."""
    now = timezone.now()
    with transaction.atomic():
        delivery = _claim(delivery_id, now)
        if delivery is None:
            return None
        try:
            provider, result = transports.sms(
                phone,
                text(delivery),
                template=template,
                params=params(delivery) if callable(params) else params,
            )
        except Exception as error:  # our own mistake (a missing setting): fail the row
            logger.exception("delivery %s to a number could not be sent", delivery_id)
            provider, result = SMS, transports.SendResult.failed("error", f"{type(error).__name__}: {error}")
        status = Status.SENT if result.ok else Status.FAILED
        Delivery.objects.filter(pk=delivery_id).update(
            status=status,
            provider=provider[:30],
            provider_id=result.provider_id[:100],
            error_code=result.error_code[:50],
            error_message=result.error_message[:500],
            sent_at=now if result.ok else None,
        )
    return status


class CannotSend(Exception):
    """The test notice cannot go to this user on this channel (no phone, no WeCom id…): a reason in words."""


def send_test(*, user, channel: str, by=None) -> Delivery:
    """A test notice to ``user`` on one channel, through the real path (a Notice, a Delivery, the transport),
    sent at once; answers the delivery (its ``status`` says how it went)."""
    if channel == SMS and not user.phone:
        raise CannotSend(_("no mobile number on file"))
    if channel == WECOM and not user.wecom_userid:
        raise CannotSend(_("no WeCom user id on file"))
    if channel == EMAIL and not user.email:
        raise CannotSend(_("no e-mail address on file"))
    now = timezone.now()
    key = f"test-notice:{channel}:{user.pk}:{now:%Y%m%d%H%M%S%f}"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("A test notice from UnionHub")
        body = _("If you can read this, notices reach you on this channel.")
    with transaction.atomic():
        notice = Notice.objects.create(
            user=user, key=key, title=title, body=body, url="/notices/preferences/"
        )
        kind = get_kind("test_notice")
        channels = {INAPP, channel}
        created = _queue(
            user=user,
            notice=notice,
            kind=kind,
            channels=channels,
            title=title,
            body=body,
            url=notice.url,
            now=now,
            quiet=False,
            groups=False,
            enqueue=False,
        )
    delivery = next(row for row in created if row.channel == channel)
    if channel != INAPP:
        deliver(delivery.pk, now=timezone.now())
        delivery.refresh_from_db()
    return delivery


# --- preferences ----------------------------------------------------------------------------------------------


def save_preferences(*, user, by, choices: dict[str, set[str]], quiet_hours: bool, daily_digest: bool) -> int:
    """Keep ``user``'s channels per kind (``choices``: kind name → channels) where they depart from the
    defaults of their roles, and their quiet hours and digest. Only the user themselves may. In-app is always on.
    Answers how many kinds now depart from the defaults."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        for name, channels in choices.items():
            kind = get_kind(name)
            if kind.name != name:
                continue
            chosen = {INAPP} | {channel for channel in channels if channel in (EMAIL, SMS, WECOM)}
            if chosen == default_channels(user, kind):
                NoticePreference.objects.filter(user=user, kind=name).delete()
            else:
                NoticePreference.objects.update_or_create(
                    user=user, kind=name, defaults={"channels": sorted(chosen - {INAPP})}
                )
        User.objects.filter(pk=user.pk).update(quiet_hours=quiet_hours, daily_digest=daily_digest)
        user.quiet_hours, user.daily_digest = quiet_hours, daily_digest
        return NoticePreference.objects.filter(user=user).count()


# --- a text to a mobile number with no login behind it -------------------------------------------------------

PHONE_TEXT_TASK = "unionhub.tasks.send_phone_text"


def send_text_to_phone(*, phone: str, kind: str, key: str, url: str = "") -> Delivery | None:
    """A notice to someone who has no login yet (an applicant to join the union): the kind and a link, like
    every text, never details. One delivery per ``key`` (None when it exists: sent before). Sent by a task
    after commit; the number travels with the task, the log keeps it masked."""
    notice_kind = get_kind(kind)
    digest = phone_hash(phone)
    now = timezone.now()
    delivery = _create(
        Delivery(
            key=key[:100],
            kind=notice_kind.name,
            channel=SMS,
            target_key=f"phone:{digest[:32]}",
            target=mask_phone(phone),
            address_hash=digest,
            text=short_text(notice_kind, url),
            next_attempt_at=now,
        )
    )
    if delivery is not None:
        enqueue_on_commit(PHONE_TEXT_TASK, delivery.pk, phone, url)
    return delivery


def deliver_phone_text(delivery_id: int, phone: str, url: str) -> str | None:
    """Send one text queued by ``send_text_to_phone``, once (the same claim as every delivery)."""

    def params(delivery):
        with translation.override(settings.LANGUAGE_CODE):
            return {"kind": str(get_kind(delivery.kind).label), "link": link(url)}

    return _send_to_phone_once(
        delivery_id, phone, text=lambda delivery: delivery.text, template="notice", params=params
    )
