"""Every rule with a number in it: the periods and deadlines of domain-rules.md.

Each function is pure: it takes the jurisdiction's settings
(`JurisdictionSettings`, every number editable by an administrator), the dates
and, where working days or 法定休假日 matter, a `WorkingCalendar`; it reads
nothing else and writes nothing. Actions, flow nodes, the importer, the audit
report and the pages call these; none of them adds days itself (a test fails if
`timedelta(days=…)`, `add_days(` or `add_working_days(` appears elsewhere in
`review/` or `workflows/`).

Two kinds of function:
- a deadline (`filing_due`, `correction_due`, …) returns a date;
- a `check_*` judges what a user enters (a comment window, a review time, a
  meeting type, the 施行日期 and 有效期至 a document states) and raises
  `Refused` with the text the user sees. The form and the action call the same
  check, so they refuse with the same words.

Counting (domain-rules §9):
- "N 日" periods: the start day is not counted (民法典 art. 201) and a last
  day on a 法定休假日 moves to the next working day (art. 203);
- "N 个工作日": working days after the start day, as the State Council's
  schedule (and the administrator's entries) has them.

A year without calendar data. A deadline whose counting reaches a year the
calendar does not know raises `CalendarMissing` (a `Refused`), in every function
here alike — never a guess. Callers handle it one way:
- an action that must store the deadline is refused and changes nothing, with
  the message telling the administrator which year to enter (the later issue on
  provisional dates, domain-rules §9, lifts this for deadlines other people
  must meet);
- a display (the document page, a task's deadline, the audit report) shows the
  deadline as unknown: `unknown_text(missing)`, "未知（需录入 YYYY 年节假日）";
  the audit report lists such a document as `deadline_unknown` and says so in
  its notes, so nothing is silently dropped.
The 施行日期 and 有效期至 bounds count calendar days without moving them off
holidays (they are dates a document states, not deadlines a person meets), so
they never need the calendar.
"""

import datetime

from django.utils.translation import gettext as _

from .calendar import CalendarMissing
from .choices import MeetingType, OrganisationKind
from .errors import Refused

__all__ = ["CalendarMissing"]


# --- counting helpers ---------------------------------------------------------


def _days_after(day, n):
    return day + datetime.timedelta(days=n)


def years_later(day, years):
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def months_before(day, months):
    """The same day `months` earlier, or the month's last day when it has fewer days."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def unknown_text(missing):
    """How a page shows a deadline it cannot compute (a year without calendar data)."""
    return _("未知（需录入 %(year)s 年节假日）") % {"year": missing.year}


# --- §4 public comment --------------------------------------------------------


def comment_minimum(settings, *, market_related, major_decision):
    """(working days, calendar days) a comment period must at least last; 0 calendar days
    when only the working-day rule applies. The stricter rule wins.

    - 一般不少于 7 个工作日 (法治政府建设示范指标 no. 24): `comment_min_working_days`;
    - closely related to market players: 不少于 30 日 (优化营商环境条例 art. 62):
      `comment_min_days_market`;
    - a 重大行政决策: 一般不少于 30 日 (重大行政决策程序暂行条例 art. 15):
      `comment_min_days_major`.
    """
    calendar_days = 0
    if market_related:
        calendar_days = max(calendar_days, settings.comment_min_days_market)
    if major_decision:
        calendar_days = max(calendar_days, settings.comment_min_days_major)
    return settings.comment_min_working_days, calendar_days


def check_comment_window(
    settings,
    calendar,
    *,
    opens_on,
    closes_on,
    today,
    market_related,
    major_decision,
    urgent_reason="",
):
    """The window a drafter enters, counted by `comment_window_length` (民法典 art. 201:
    "自5月1日至5月31日" is 30 日). Shorter than `comment_minimum` only with the urgent reason stated (条例 art. 15).
    Returns (working days, calendar days) of the window; raises Refused."""
    if opens_on < today:
        raise Refused(_("征求意见开始日期不得早于今天"))
    if closes_on <= opens_on:
        raise Refused(_("截止日期须晚于开始日期"))
    min_working, min_days = comment_minimum(
        settings, market_related=market_related, major_decision=major_decision
    )
    working, days = comment_window_length(calendar, opens_on, closes_on)
    shortfall = []
    if working < min_working:
        shortfall.append(
            _("不少于 %(n)s 个工作日（所选期间只有 %(m)s 个工作日）")
            % {"n": min_working, "m": working}
        )
    if min_days and days < min_days:
        shortfall.append(_("不少于 %(n)s 日（所选期间只有 %(m)s 日）") % {"n": min_days, "m": days})
    if shortfall and not (urgent_reason or "").strip():
        raise Refused(
            _("征求意见期限不足：%(rules)s。确因紧急情况需要缩短的，须载明理由")
            % {"rules": "；".join(shortfall)}
        )
    if shortfall:
        check_urgent_shortening(settings, urgent_reason, days=days, market_related=market_related)
    return working, days


def comment_window_length(calendar, opens_on, closes_on):
    """(working days, calendar days) of a comment window: 民法典 art. 201, the day the
    window opens is not counted, the period runs from the next day to `closes_on`
    inclusive. The same count for both kinds of minimum (docs/comment-periods.md)."""
    days = (closes_on - opens_on).days
    if days <= 0:
        return 0, 0
    return calendar.count_working_days(_days_after(opens_on, 1), closes_on), days


def check_urgent_shortening(settings, urgent_reason, *, days, market_related):
    """A comment period shortened for urgency (重大行政决策程序暂行条例 art. 15: 因情况
    紧急等原因需要缩短期限的，应当在征求意见时予以说明): the reason is a stated one, at
    least `urgent_reason_min_chars` characters, and a market-related document keeps at
    least `comment_min_days_market_urgent` 日 (优化营商环境条例 art. 62 gives no
    urgency exception; the floor is the jurisdiction's). Raises Refused."""
    reason = (urgent_reason or "").strip()
    if len(reason) < settings.urgent_reason_min_chars:
        raise Refused(
            _("缩短征求意见期限的紧急理由过于简略：须具体说明紧急情况，至少 %(n)s 个字")
            % {"n": settings.urgent_reason_min_chars}
        )
    floor = settings.comment_min_days_market_urgent
    if market_related and days < floor:
        raise Refused(
            _(
                "涉及市场主体的文件，即使情况紧急，征求意见期也不得少于 %(n)s 日（所选期间只有 %(m)s 日）"
            )
            % {"n": floor, "m": days}
        )


def check_checklist(keys, checklist):
    """A review checklist (合法性审核要点, 115号; 备案审查事项, 备案条例 art. 10): every
    item answered 无问题 (ok True) or 存在问题 (ok False), nothing assumed, and each
    存在问题 with its 说明. Returns the clean {key: {"ok", "note"}}; raises Refused."""
    checklist = checklist or {}
    unanswered = [k for k in keys if not isinstance(checklist.get(k, {}).get("ok"), bool)]
    if unanswered:
        raise Refused(
            _("审查要点未逐项作答（共 %(n)s 项未选“无问题”或“存在问题”）") % {"n": len(unanswered)}
        )
    clean = {
        key: {"ok": checklist[key]["ok"], "note": str(checklist[key].get("note") or "").strip()}
        for key in keys
    }
    silent = [key for key in keys if not clean[key]["ok"] and not clean[key]["note"]]
    if silent:
        raise Refused(_("选择“存在问题”的要点须填写说明（共 %(n)s 项未说明）") % {"n": len(silent)})
    return clean


def check_meeting_after_review(meeting_date, *, concluded_on, signed_on=None):
    """集体审议 comes after the legality review (37号: 未经合法性审核…不得提交集体审议)
    and the legal advisor's written opinion: the meeting date is not before either.
    Raises Refused."""
    if concluded_on is not None and meeting_date < concluded_on:
        raise Refused(
            _("会议日期 %(date)s 早于合法性审核结论出具日期 %(concluded)s：须先审核、后审议")
            % {"date": meeting_date, "concluded": concluded_on}
        )
    if signed_on is not None and meeting_date < signed_on:
        raise Refused(
            _("会议日期 %(date)s 早于法律顾问签署意见日期 %(signed)s：须先签署意见、后审议")
            % {"date": meeting_date, "signed": signed_on}
        )


def comment_window_rule(settings, *, market_related, major_decision):
    """The comment rule in words, for a page that lists the next steps."""
    working, days = comment_minimum(
        settings, market_related=market_related, major_decision=major_decision
    )
    if days:
        return _("征求意见期不少于 %(w)s 个工作日且不少于 %(d)s 日（紧急缩短须载明理由）") % {
            "w": working,
            "d": days,
        }
    return _("征求意见期不少于 %(w)s 个工作日（紧急缩短须载明理由）") % {"w": working}


# --- §3 legality review -------------------------------------------------------


def legality_review_minimum(settings, *, major_decision):
    """一般不少于 5 个工作日 (国办发〔2018〕115号), a 重大行政决策 不少于 7 个工作日
    (重大行政决策程序暂行条例 art. 26)."""
    if major_decision:
        return settings.legality_review_major_min_working_days
    return settings.legality_review_min_working_days


def check_legality_review_days(settings, *, requested, major_decision, urgent_reason=""):
    """The working days the drafter gives the legal division: at most 15 (115号), at least
    `legality_review_minimum` unless the emergency is recorded. None means the maximum.
    Returns the number of working days; raises Refused."""
    maximum = settings.legality_review_max_working_days
    days = requested or maximum
    if days > maximum:
        raise Refused(_("合法性审核期限最长不超过 %(n)s 个工作日") % {"n": maximum})
    minimum = legality_review_minimum(settings, major_decision=major_decision)
    if days < minimum and not (urgent_reason or "").strip():
        raise Refused(
            _("合法性审核期限一般不少于 %(n)s 个工作日；紧急情况须载明理由") % {"n": minimum}
        )
    return days


def legality_review_rule(settings, *, major_decision):
    """The review-time rule in words, for a page that lists the next steps."""
    return _("合法性审核期限 %(min)s 至 %(max)s 个工作日（紧急缩短须载明理由）") % {
        "min": legality_review_minimum(settings, major_decision=major_decision),
        "max": settings.legality_review_max_working_days,
    }


def legality_review_due(submitted_on, working_days, calendar):
    """The last day of the legality review: `working_days` (already checked by
    `check_legality_review_days`) counted after the day of submission (115号)."""
    return calendar.add_working_days(submitted_on, working_days)


# --- §5 collective deliberation -----------------------------------------------

MEETINGS_BY_KIND = {
    OrganisationKind.GOVERNMENT: [
        MeetingType.EXECUTIVE,
        MeetingType.PLENARY,
    ],
}
DEPARTMENT_MEETINGS = [MeetingType.BUREAU, MeetingType.OFFICE]


def meetings_for(organisation_kind):
    """A government decides at its 常务会议 or 全体会议; a department at its 办公会议
    (局务会) (国办发〔2018〕37号)."""
    return MEETINGS_BY_KIND.get(organisation_kind, DEPARTMENT_MEETINGS)


def meeting_rule(organisation):
    """The meeting rule in words, for a page that lists the next steps."""
    names = "、".join(str(MeetingType(m).label) for m in meetings_for(organisation.kind))
    return _("由%(meetings)s审议决定") % {"meetings": names}


def check_meeting_type(organisation, meeting_type):
    """Raises Refused when `meeting_type` is not a meeting that may decide `organisation`'s
    normative documents (`meetings_for`)."""
    allowed = meetings_for(organisation.kind)
    if meeting_type not in allowed:
        names = "、".join(str(MeetingType(m).label) for m in allowed)
        raise Refused(
            _("%(org)s的规范性文件应当由%(meetings)s审议决定")
            % {"org": organisation, "meetings": names}
        )


# --- §6 施行日期 and §8 有效期 (stated by the document, checked here) ------------


def earliest_effective_date(settings, published_on, immediate_effect_reason=""):
    """The earliest lawful 施行日期: 自公布之日起 30 日后 (`effective_after_days`; 鹤壁
    办法 art. 27, local), or the day of publication when the reason for immediate
    effect (灾情、疫情等) is recorded. Calendar days, not moved off holidays."""
    if (immediate_effect_reason or "").strip():
        return published_on
    return _days_after(published_on, settings.effective_after_days)


def is_provisional(title):
    """A 暂行 or 试行 document (domain-rules §8): the shorter validity applies."""
    return "暂行" in title or "试行" in title


def latest_valid_until(settings, effective_from, *, provisional=False):
    """The latest lawful 有效期至: 有效期一般不超过 5 年 (`validity_years`), a 暂行/试行
    document 不超过 2 年 (`provisional_validity_years`) (domain-rules §8, local), counted
    from the 施行日期: the day before the same date N years later."""
    years = settings.provisional_validity_years if provisional else settings.validity_years
    return _days_after(years_later(effective_from, years), -1)


def stated_dates_rule(settings, *, provisional=False):
    """The 施行/有效期 rule in words, for a page that lists the next steps."""
    years = settings.provisional_validity_years if provisional else settings.validity_years
    return _(
        "自公布之日起 %(n)s 日后施行（公布即施行须载明理由）；有效期自施行之日起不超过 %(y)s 年"
    ) % {"n": settings.effective_after_days, "y": years}


def check_stated_dates(
    settings,
    *,
    published_on,
    effective_from,
    valid_until,
    immediate_effect_reason="",
    provisional=False,
):
    """The 施行日期 and 有效期至 a document states (domain-rules §6: entered, then checked,
    never computed for it): 施行 no earlier than `earliest_effective_date`, 有效期至
    not before 施行 and no later than `latest_valid_until`. Raises Refused."""
    earliest = earliest_effective_date(settings, published_on, immediate_effect_reason)
    if effective_from < earliest:
        if effective_from >= published_on:
            raise Refused(
                _(
                    "施行日期不得早于 %(date)s：应自公布之日起 %(n)s 日后施行；"
                    "确需公布即施行的，须载明理由"
                )
                % {"date": earliest, "n": settings.effective_after_days}
            )
        raise Refused(_("施行日期不得早于公布日期 %(date)s") % {"date": published_on})
    if valid_until < effective_from:
        raise Refused(_("有效期至不得早于施行日期 %(date)s") % {"date": effective_from})
    latest = latest_valid_until(settings, effective_from, provisional=provisional)
    if valid_until > latest:
        years = settings.provisional_validity_years if provisional else settings.validity_years
        raise Refused(
            _("有效期不得超过 %(n)s 年：有效期至最晚为 %(date)s") % {"n": years, "date": latest}
        )


def evaluation_opens_on(settings, valid_until):
    """The day from which a document is due for evaluation: 有效期届满前 6 个月
    (`evaluation_months_before_expiry`, domain-rules §8, local)."""
    return months_before(valid_until, settings.evaluation_months_before_expiry)


# --- §7 filing, filing review, correction --------------------------------------


def filing_due(settings, published_on, calendar):
    """报送备案期限: 公布之日起 30 日内 (`filing_deadline_days`; 法规规章备案条例 art. 3);
    the start day is not counted and a last day on a 法定休假日 moves to the next
    working day (民法典 art. 201, 203). A resubmission keeps the first deadline."""
    return calendar.add_days(published_on, settings.filing_deadline_days)


def filing_review_due(settings, received_on, calendar):
    """备案审查期限: 30 日 from receipt (`filing_review_days`, domain-rules §7, local),
    counted as 民法典 art. 201, 203."""
    return calendar.add_days(received_on, settings.filing_review_days)


def extended_filing_review_due(settings, due_on, calendar):
    """The review deadline after its one extension: 20 日 more (`filing_review_extension_days`,
    domain-rules §7, local). That it happens once is a lifecycle condition."""
    return calendar.add_days(due_on, settings.filing_review_extension_days)


def correction_due(settings, issued_on, calendar):
    """自行纠正期限: the body corrects itself and reports within 30 日 of the 审查意见
    (`correction_days`; 法规规章备案条例 art. 17), counted as 民法典 art. 201, 203."""
    return calendar.add_days(issued_on, settings.correction_days)


# --- a task's timers --------------------------------------------------------------


def overdue_on(due, days_before=0):
    """The first day a deadline is missed (the day after it), or with `days_before` the
    first day of its due-soon warning."""
    return _days_after(due, 1 - days_before)


# A task whose deadline is unknown (a year without calendar data) gets a timer that
# does not fire; its page shows `unknown_text` instead of a date.
UNKNOWN_DEADLINE_WAIT = datetime.timedelta(days=36500)
