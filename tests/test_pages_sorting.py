"""Lists sort and filter on the server (issue 14 §5): `?sort=` takes only a column
of the page's whitelist (anything else is the default order), descending with '-',
kept across the filter form and the pages; and a sorted, filtered page costs the
same number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from config.sorting import Sorting

from .test_pages_queries import LIMIT, count, make_documents

pytestmark = pytest.mark.django_db


def titles(response):
    return [d.title for d in response.context["page"].object_list]


def test_the_register_sorts_by_a_whitelisted_column_both_ways(client, bureau, division, drafter):
    client.force_login(drafter)
    make_documents(3, bureau, division, drafter)
    up = client.get(reverse("desk:register"), {"sort": "title"})
    down = client.get(reverse("desk:register"), {"sort": "-title"})
    assert titles(up) == ["文件0", "文件1", "文件2"]
    assert titles(down) == ["文件2", "文件1", "文件0"]
    html = up.content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?sort=-title" in html  # the current column's link flips it


def test_an_unknown_sort_falls_back_to_the_default_order(client, bureau, division, drafter):
    client.force_login(drafter)
    make_documents(3, bureau, division, drafter)
    default = titles(client.get(reverse("desk:register")))
    for value in ("password", "-organisation__memberships__user__password", "title;drop", ""):
        response = client.get(reverse("desk:register"), {"sort": value})
        assert response.status_code == 200
        assert titles(response) == default


def test_the_sort_survives_filtering_and_paging(client, bureau, division, drafter):
    client.force_login(drafter)
    make_documents(3, bureau, division, drafter)
    response = client.get(reverse("desk:register"), {"sort": "-title", "q": "文件"})
    html = response.content.decode()
    assert '<input type="hidden" name="sort" value="-title">' in html
    assert titles(response) == ["文件2", "文件1", "文件0"]


def test_descending_flips_every_field_of_a_column(rf):
    sorting = Sorting(rf.get("/", {"sort": "-a"}), {"a": ("x", "-y", "pk")}, "a")
    assert sorting.order_by() == ["-x", "y", "-pk"]
    url, state = sorting.header("a")
    assert (url, state) == ("?sort=a", "descending")


@pytest.mark.parametrize(
    "name, query",
    [
        ("desk:register", {"sort": "title", "overdue": "", "q": "文件"}),
        ("desk:register", {"sort": "-state"}),
        ("desk:inbox", {"sort": "-task", "step": "issuing.draft"}),
        ("desk:queue", {"sort": "created", "overdue": "on"}),
        ("desk:archive", {"sort": "finished"}),
        ("desk:comment_queue", {"sort": "-unanswered", "q": "文件"}),
    ],
)
def test_a_sorted_filtered_list_costs_the_same_with_few_or_many_rows(
    client, bureau, division, drafter, name, query, monkeypatch
):
    for module in ("register", "tasks", "comments"):  # pages of 4, so that 12 rows make 3
        monkeypatch.setattr(f"desk.views.{module}.PAGE_SIZE", 4)
    client.force_login(drafter)
    url = reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    make_documents(2, bureau, division, drafter)
    few = count(client, url)
    make_documents(10, bureau, division, drafter)
    many = count(client, url)
    assert many == few
    many = count(client, url + "&page=2")
    assert many == few
    assert many <= LIMIT


def test_the_task_filter_narrows_to_one_step(client, bureau, division, drafter):
    client.force_login(drafter)
    make_documents(2, bureau, division, drafter)
    drafts = client.get(reverse("desk:inbox"), {"step": "issuing.draft"})
    assert len(drafts.context["rows"]) == 2
    other = client.get(reverse("desk:inbox"), {"step": "issuing.publish"})
    assert other.context["rows"] == []
