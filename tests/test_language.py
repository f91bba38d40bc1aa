def test_pages_are_chinese_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_language_switch_gives_english_until_switched_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert (
        client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"]
        == "zh-hans"
    )
