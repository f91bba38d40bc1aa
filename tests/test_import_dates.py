"""import_register's date columns (issue 13 §1): 施行日期 and 有效期至 as the document
states them (after today allowed), 废止日期 / 失效日期 beside 状态."""

import pytest

from review.models import NormativeDocument
from review.states import State

from .test_import_register import refused, run, write_csv

HEADER = [
    "制定机关",
    "标题",
    "发文字号",
    "成文日期",
    "公布日期",
    "施行日期",
    "有效期至",
    "状态",
    "废止日期",
    "失效日期",
]
TODAY = "2026-11-27"


def row(number, title, *, effective="", until="", status="现行有效", repealed="", lapsed=""):
    return [
        "akmz",
        title,
        number,
        "2020-01-06",
        "2020-01-10",
        effective,
        until,
        status,
        repealed,
        lapsed,
    ]


def load(tmp_path, rows):
    return run(write_csv(tmp_path / "register.csv", rows, header=HEADER), "--today", TODAY)


def refusal(tmp_path, rows):
    message, err, _out = refused(
        write_csv(tmp_path / "register.csv", rows, header=HEADER), "--today", TODAY
    )
    return message + err


def test_effective_date_and_a_future_valid_until_are_imported(bureau, tmp_path):
    load(
        tmp_path,
        [
            row(
                "安民发〔2020〕3号",
                "安康市临时救助实施细则",
                effective="2020-02-10",
                until="2027-02-09",
            )
        ],
    )
    document = NormativeDocument.objects.get()
    assert (document.effective_from.isoformat(), document.valid_until.isoformat()) == (
        "2020-02-10",
        "2027-02-09",
    )
    assert document.state == State.FILING  # published, not filed
    assert document.ended_on is None and document.end_cause == ""


def test_a_repeal_date_is_imported_as_the_first_day_no_longer_in_force(bureau, tmp_path):
    load(
        tmp_path,
        [
            row(
                "安民发〔2020〕4号",
                "安康市殡葬管理暂行办法",
                effective="2020-02-10",
                until="2022-02-09",
                status="已废止",
                repealed="2021-07-01",
            )
        ],
    )
    document = NormativeDocument.objects.get()
    assert document.state == State.REPEALED
    assert (document.ended_on.isoformat(), document.end_cause) == ("2021-07-01", "repealed")
    assert document.provisional  # 暂行 in the title
    event = document.audit_events.get()
    assert event.data["ended_on"] == "2021-07-01"


def test_an_expired_row_without_its_date_lapsed_the_day_after_valid_until(bureau, tmp_path):
    load(
        tmp_path,
        [
            row("安民发〔2020〕5号", "甲", until="2025-01-09", status="已失效"),
            row(
                "安民发〔2020〕6号", "乙", until="2025-01-09", status="已失效", lapsed="2024-01-01"
            ),
        ],
    )
    first = NormativeDocument.objects.get(title="甲")
    assert (first.ended_on.isoformat(), first.end_cause) == ("2025-01-10", "expired")
    second = NormativeDocument.objects.get(title="乙")
    assert (second.ended_on.isoformat(), second.end_cause) == ("2024-01-01", "declared_invalid")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"effective": "2020-01-09"}, "施行日期 2020-01-09 早于公布日期 2020-01-10"),
        (
            {"effective": "2020-02-10", "until": "2020-02-09"},
            "有效期至 2020-02-09 早于施行日期 2020-02-10",
        ),
        ({"repealed": "2021-07-01"}, "填写了废止日期，状态应为“已废止”"),
        ({"status": "已废止", "lapsed": "2021-07-01"}, "填写了失效日期，状态应为“已失效”"),
        (
            {"status": "已废止", "repealed": "2020-01-10"},
            "失效日期须晚于公布日期 2020-01-10",
        ),
        (
            {"status": "已废止", "until": "2025-01-09", "repealed": "2025-02-01"},
            "有效期至 2025-01-09，届满即失效；失效日期不得晚于 2025-01-10",
        ),
        ({"status": "已废止", "repealed": "2026-12-01"}, "废止日期 2026-12-01 晚于今天"),
    ],
)
def test_inconsistent_dates_are_refused_and_nothing_is_written(bureau, tmp_path, kwargs, message):
    text = refusal(tmp_path, [row("安民发〔2020〕7号", "丙", **kwargs)])
    assert message in text
    assert not NormativeDocument.objects.exists()
