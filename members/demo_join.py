"""The demo's applications to join the union (入会申请): a few waiting for chair1 (union HN001), one declined,
one approved, and workers of enterprises without a union for the federation's list of enterprises to organise.
Made through the real services, so the approved one is a member with an event and the applicants' texts are in
the SMS log."""

import datetime

from django.utils import timezone

from .models import Enterprise, GrassrootsUnion, JoinApplication, Member
from .services import join


def _phones():
    """Applicants' mobiles: a range the generator never draws (as the demo members' 1995710…)."""
    return (f"199572{n:05d}" for n in range(1, 100))


def _apply(
    gen, phones, *, enterprise=None, employer: str = "", days_ago: int, birth: datetime.date, sex: str
):
    number = gen.id_number(birth, sex, migrant=gen.rng.random() < 0.5)
    while Member.objects.filter(id_number=number).exists():  # not somebody's on the demo roster
        number = gen.id_number(birth, sex, migrant=True)
    application = join.apply_to_join(
        name=gen.name(),
        id_number=number,
        phone=next(phones),
        enterprise=enterprise,
        enterprise_name=employer,
    )
    created = timezone.now() - datetime.timedelta(days=days_ago, hours=gen.rng.randrange(1, 9))
    JoinApplication.objects.filter(pk=application.pk).update(created_at=created)
    return application


def seed_join_applications(*, gen, staff, today: datetime.date) -> None:
    phones = _phones()
    union = GrassrootsUnion.objects.order_by("code").first()
    chair = union.chair
    enterprises = list(union.enterprises.order_by("pk")[:2])
    births = [datetime.date(1990 + n, 1 + n, 10 + n) for n in range(12)]
    for n in range(5):
        _apply(
            gen,
            phones,
            enterprise=enterprises[n % len(enterprises)],
            days_ago=n,
            birth=births[n],
            sex="MF"[n % 2],
        )
    declined = _apply(gen, phones, enterprise=enterprises[0], days_ago=9, birth=births[5], sex="M")
    join.decline_application(
        application=declined, by=chair, reason="经与企业人事部门核实，申请人已于上月离职。"
    )
    approved = _apply(gen, phones, enterprise=enterprises[-1], days_ago=12, birth=births[6], sex="F")
    join.approve_application(application=approved, by=chair)
    # Workers of enterprises with no union (on file, and one typed by hand): the federation organises there.
    uncovered = list(Enterprise.objects.filter(union=None).order_by("pk")[:3])
    for i, (enterprise, count) in enumerate(zip(uncovered, (4, 2, 1), strict=False)):
        for k in range(count):
            _apply(
                gen,
                phones,
                enterprise=enterprise,
                days_ago=3 + i * 5 + k,
                birth=births[(i + k) % 12],
                sex="MF"[k % 2],
            )
    for k in range(2):
        _apply(gen, phones, employer="高新区星辰奶茶店", days_ago=6 + k, birth=births[10 + k], sex="F")
