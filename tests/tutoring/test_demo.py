"""The demo's tutoring classes: three summers, this year's weekend terms with attendance taken, and a class of the
first union open for enrolment (the step runs on any day: ``pytest --today``)."""

import datetime
import types

from members.demo import _Generator
from members.models import Enterprise
from tests.factories import make_credit_code, make_id, make_union, register_member
from tutoring.demo import tutoring_classes
from tutoring.models import Attendance, Enrolment, TutoringClass

from ..conftest import TODAY


def test_the_demo_step(make_user, staff, aid_staff):
    unions = []
    for n in range(6):
        chair = make_user(f"chair{n + 1}", name=f"主席{n + 1}")
        union = make_union(
            f"HN00{n + 1}", name=f"第{n + 1}工会", chair=chair, founded_on=datetime.date(2010, 1, 1)
        )
        enterprise = Enterprise.objects.create(
            name=f"第{n + 1}有限公司", credit_code=make_credit_code(n + 10), union=union, headcount=300
        )
        for k in range(12):
            register_member(enterprise, by=staff, name=f"会员{n}{k}", id_number=make_id("19880101"))
        unions.append(union)
    gen = _Generator(7)
    demo = types.SimpleNamespace(gen=gen, rng=gen.rng, today=TODAY, staff=aid_staff, unions=unions)
    tutoring_classes(demo)
    summers = TutoringClass.objects.filter(kind="summer")
    assert {c.starts_on.year for c in summers} == {TODAY.year - 2, TODAY.year - 1, TODAY.year}
    for year in (TODAY.year - 2, TODAY.year - 1):
        children = Enrolment.objects.filter(tutoring_class__in=summers.filter(starts_on__year=year))
        assert 25 <= children.count() <= 35
        assert set(summers.filter(starts_on__year=year).values_list("status", flat=True)) == {"finished"}
    # Every session held has its attendance; only a running class's latest is left for the chair to take.
    for tutoring_class in TutoringClass.objects.filter(status__in=["closed", "finished"]):
        for session in tutoring_class.sessions.filter(attendance_taken_at__isnull=False):
            assert session.attendance.count() == tutoring_class.enrolments.count()
    assert Attendance.objects.filter(present=True).count() > Attendance.objects.filter(present=False).count()
    open_class = TutoringClass.objects.get(status="open", union=unions[0], kind="weekend")
    assert open_class.enrolments.count() == 8 and open_class.sessions.exists()
    assert TutoringClass.objects.filter(status="draft", submitted_at__isnull=False).count() == 1
