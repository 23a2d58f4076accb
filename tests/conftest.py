"""The cast every feature test uses: federation staff, two union chairs (A and B), a seconded cadre,
an association chair, a merchant and an outsider with no role; and a small district built by
calling the real services."""

import datetime

import pytest

from associations.models import Association
from members.models import Enterprise, GrassrootsUnion
from perks.models import Merchant
from secondment import services as secondment_services
from secondment.models import SecondmentTerm
from tests.factories import TODAY, make_credit_code, make_id, make_staff, make_union, register_member
from tests.factories import make_user as make_user_account
from unionhub.duties import AID, AUDIT, CASEWORK, FINANCE, ORGANISATION


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """Forget the content types remembered by earlier tests. A transactional test empties every table; a
    content type looked up after that is created inside the next test's transaction, remembered, and rolled
    back with it — and a later audit entry would then point at an id that no longer exists."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@pytest.fixture
def english():
    """Service messages in English (the default language is Chinese), for tests that read them."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def make_user(db):
    return make_user_account


@pytest.fixture
def staff(make_user):
    return make_staff("staff", ORGANISATION, name="周晓红")


@pytest.fixture
def aid_staff(make_user):
    """Federation staff with the aid duty: the only staff who see hardship files."""
    return make_staff("aidstaff", AID, name="沈慧")


@pytest.fixture
def casework_staff(make_user):
    """Federation staff with the casework duty: every case and every complainant's identity."""
    return make_staff("casework", CASEWORK, name="顾晓燕")


@pytest.fixture
def finance_staff(make_user):
    return make_staff("finance", FINANCE)


@pytest.fixture
def audit_staff(make_user):
    """Federation staff with the audit duty only: the audit team (audits are theirs and the audited chair's)."""
    return make_staff("auditor", AUDIT, name="钱国平")


@pytest.fixture
def chair_a(make_user):
    return make_user("chair_a", name="张主席")


@pytest.fixture
def chair_b(make_user):
    return make_user("chair_b", name="李主席")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def union_a(db, chair_a):
    return make_union(
        "HN001",
        name="甲公司工会委员会",
        chair=chair_a,
        founded_on=datetime.date(2010, 5, 1),
        committee_term_start=datetime.date(2022, 6, 1),
    )


@pytest.fixture
def union_b(db, chair_b):
    return make_union(
        "HN002",
        name="乙片区联合工会",
        chair=chair_b,
        kind=GrassrootsUnion.Kind.JOINT,
        founded_on=datetime.date(2015, 3, 1),
    )


@pytest.fixture
def enterprise_a(union_a):
    return Enterprise.objects.create(
        name="甲精密机械有限公司",
        credit_code=make_credit_code(1),
        union=union_a,
        size_band="large",
        industry="manufacturing",
        headcount=800,
        contact_name="王经理",
        contact_phone="13812341234",
    )


@pytest.fixture
def enterprise_b(union_b):
    return Enterprise.objects.create(
        name="乙软件有限公司",
        credit_code=make_credit_code(2),
        union=union_b,
        size_band="small",
        is_small_micro=True,
        industry="software",
        headcount=40,
    )


@pytest.fixture
def register(staff):
    def _register(enterprise, name="王小明", **extra):
        return register_member(enterprise, by=staff, name=name, **extra)

    return _register


@pytest.fixture
def member_a(register, enterprise_a):
    return register(enterprise_a, name="王小明", id_number="330481197001011237", phone="13812345678")


@pytest.fixture
def member_b(register, enterprise_b):
    return register(enterprise_b, name="李小红", id_number=make_id("19880808", sex="F"), phone="13700001111")


@pytest.fixture
def cadre(make_user, union_b):
    user = make_user("cadre")
    SecondmentTerm.objects.create(
        cadre=user,
        union=union_b,
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY + datetime.timedelta(days=335),
    )
    return user


@pytest.fixture
def assoc_chair(make_user):
    user = make_user("assoc")
    Association.objects.create(
        name="职工摄影书法协会", kind="arts", chair=user, founded_on=datetime.date(2015, 1, 1)
    )
    return user


@pytest.fixture
def merchant(make_user):
    user = make_user("merchant")
    shop = Merchant.objects.create(name="联华超市", category="supermarket")
    shop.staff.add(user)
    return user


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- secondment: a young member of union A with an active term, on an account of their own -------


@pytest.fixture
def young_member(register, enterprise_a):
    """Born 1996-05-01, bachelor's degree, a member of union A."""
    return register(
        enterprise_a, name="陈晓东", id_number=make_id("19960501"), phone="13900002222", education="bachelor"
    )


@pytest.fixture
def cadre_a(make_user, union_a, young_member):
    """An account seconded from union A: a term that began 60 days ago."""
    user = make_user("cadre_a", name="陈晓东", phone="13900002222")
    user.term = secondment_services.start_term(
        cadre=user,
        union=union_a,
        member=young_member,
        union_post="vice_chair",
        start_date=TODAY - datetime.timedelta(days=60),
    )
    return user


@pytest.fixture
def term_a(cadre_a):
    return cadre_a.term


@pytest.fixture
def member_client(client):
    """``member_client(member)``: the test client signed in as ``member`` the way a code sign-in leaves it (the
    code-session flag, the privacy notice accepted unless ``consent=False``); the member's login is returned
    as ``client.member_user``."""
    from members.services import member_signin
    from unionhub.middleware import CODE_SESSION_FLAG

    def sign_in(member, *, consent=True, into=None):
        into = into or client
        user = member_signin.login_for(member)
        if consent:
            member_signin.accept_privacy(user=user)
        into.force_login(user)
        session = into.session
        session[CODE_SESSION_FLAG] = True
        session.save()
        into.member_user = user
        return into

    return sign_in


@pytest.fixture
def fresh_limits():
    """The cache starts and ends empty: the rate limits and one-time form tokens it counts begin from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_log(settings, tmp_path):
    """Texts go to a log file of this test's own (the embedded default's console backend); its path."""
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    settings.SMS_BACKEND = "unionhub.channels.console.ConsoleSms"
    return settings.SMS_LOG_FILE
