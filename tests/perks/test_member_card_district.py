"""The access matrix's member objects of the card pages (tests/access/district.py): member B's card and
lost report are 404 to member A. In a module of its own: the district is built once per module and stays
open while its tests run."""

from django.urls import reverse

from tests import test_access_matrix
from unionhub.middleware import CODE_SESSION_FLAG

district = test_access_matrix.district


def test_member_a_gets_404_on_member_b_objects_of_the_district(client, db, district):
    """The access matrix's objects: member B's card and lost report are out of member A's reach, while
    member A's own (the matrix's ``mem`` column) open."""
    client.force_login(district["member"])
    session = client.session
    session[CODE_SESSION_FLAG] = True
    session.save()
    for name, own, others in (
        ("member_card:report_lost", "card", "card_b"),
        ("member_card:report", "lost_report", "lost_report_b"),
    ):
        assert client.get(reverse(name, args=[district[own].pk])).status_code == 200
        assert client.get(reverse(name, args=[district[others].pk])).status_code == 404
    assert client.post(reverse("member_card:report_lost", args=[district["card_b"].pk])).status_code == 404
