"""Two schedulers at once (PostgreSQL): the same notice queued twice creates its deliveries once, and two
workers claiming the same delivery send it once."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections

from tests.factories import make_user
from unionhub.channels import SendResult
from unionhub.models import Delivery
from unionhub.notify import service, transports

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row claiming is proven on PostgreSQL"),
]


def in_threads(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_two_workers_claiming_one_delivery_send_it_once():
    user = make_user("chair_pg", phone="13812345678", email="pg@example.cn")
    sent = []
    with mock.patch.object(service, "enqueue_on_commit"):
        service.send_notice(user=user, key="transfer-in:1", title="t", kind="honours")
    row = Delivery.objects.get(channel="email")
    with mock.patch.object(
        transports, "email", side_effect=lambda *a: sent.append(a[0]) or SendResult.sent()
    ):
        results = in_threads(lambda: service.deliver(row.pk))
    assert sorted(results, key=str) == [None, "sent"]
    assert len(sent) == 1
    assert Delivery.objects.get(pk=row.pk).status == "sent"


def test_two_schedulers_queuing_the_same_notice_create_one_delivery_each():
    user = make_user("chair_pg2", email="pg2@example.cn")
    with mock.patch.object(service, "enqueue_on_commit"):
        results = in_threads(lambda: service.send_notice(user=user, key="honour-result:2", title="t"))
    assert sorted(results) == [False, True]
    assert Delivery.objects.filter(key="honour-result:2", channel="email").count() == 1
