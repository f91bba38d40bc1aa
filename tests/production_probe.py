"""Run by tests/test_production_static.py as `python -m tests.production_probe`, under
DJANGO_ENV=production after `manage.py collectstatic --noinput`: migrates a fresh
database, fetches pages through the project's middleware (WhiteNoise included) with
Django's test Client over HTTPS, then every static file those pages link and every
file their stylesheets point at, and prints what it got as JSON."""

import json
import os
import re
from urllib.parse import urljoin

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


def fetch(client, url):
    response = client.get(url, secure=True)
    body = b"".join(response) if response.streaming else response.content
    response.close()
    return response.status_code, body


def assets_of(client, html, found):
    queue = LINKED.findall(html)
    while queue:
        url = queue.pop().split("#")[0].split("?")[0]
        if url in found:
            continue
        found[url], body = fetch(client, url)
        if url.endswith(".css") and found[url] == 200:
            for ref in CSS_URL.findall(body.decode("utf-8", "replace")):
                if not ref.startswith(("data:", "#", "http:", "https:")):
                    queue.append(urljoin(url, ref))


def main():
    call_command("migrate", verbosity=0)
    User = get_user_model()
    user = User.objects.create_user("drafter", password="x-probe-only")
    root = User.objects.create_superuser("root", "root@example.invalid", "x-probe-only")
    pages, assets = {}, {}
    visitors = {"anonymous": Client(), "drafter": Client(), "root": Client()}
    visitors["drafter"].force_login(user)
    visitors["root"].force_login(root)
    # Production requires the system administrator's second factor: verify it.
    device = TOTPDevice.objects.create(user=root, name="probe", confirmed=True)
    token = f"{TOTP(device.bin_key).token():06d}"
    visitors["root"].post("/accounts/2fa/verify/", {"token": token}, secure=True)
    for who, url in [
        ("anonymous", "/accounts/login/"),
        ("anonymous", "/public/"),
        ("anonymous", "/admin/login/"),
        ("anonymous", "/no-such-page/"),
        ("drafter", "/tasks/"),
        ("drafter", "/documents/"),
        ("root", "/admin/"),
        ("root", "/admin/review/normativedocument/"),
    ]:
        status, body = fetch(visitors[who], url)
        html = body.decode()
        pages[url] = {"status": status, "linked": LINKED.findall(html)}
        assets_of(visitors[who], html, assets)
    print(
        json.dumps(
            {
                "storage": settings.STORAGES["staticfiles"]["BACKEND"],
                "debug": settings.DEBUG,
                "pages": pages,
                "assets": assets,
            }
        )
    )


if __name__ == "__main__":
    main()
