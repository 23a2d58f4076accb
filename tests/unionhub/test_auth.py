from django.urls import reverse


def test_login_page_is_chinese_by_default(client, db):
    body = client.get(reverse("login")).content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body


def test_switch_to_english(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert 'lang="en"' in response.content.decode() and "Log in" in response.content.decode()


def test_login_and_logout(client, chair_a):
    response = client.post(reverse("login"), {"username": "chair_a", "password": "pw-chair_a"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.post(reverse("logout")).status_code == 302


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, chair_a):
    for _ in range(5):
        client.post(reverse("login"), {"username": "chair_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "chair_a", "password": "pw-chair_a"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_password_change(client, chair_a):
    client.force_login(chair_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-chair_a", "new_password1": "Zx9-union-2026", "new_password2": "Zx9-union-2026"},
    )
    assert response.status_code == 302
    chair_a.refresh_from_db()
    assert chair_a.check_password("Zx9-union-2026")


def test_dashboard_per_role(client, staff, chair_a, union_a, cadre, merchant):
    client.force_login(staff)
    assert "区域概况" in client.get(reverse("dashboard")).content.decode()
    client.force_login(chair_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert "HN001" in body and "区域概况" not in body
    client.force_login(cadre)
    assert "我的上挂" in client.get(reverse("dashboard")).content.decode()
    client.force_login(merchant)
    assert (
        "联华超市" in client.get(reverse("dashboard"), follow=True).content.decode()
    )  # to the counter check


def test_chinese_even_when_the_browser_asks_for_english(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body
