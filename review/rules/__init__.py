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

A year without calendar data (domain-rules §9). A year is known when
chinesecalendar has it or an administrator marked it complete (review.calendar);
for any other year nothing raises: the calendar counts weekends and the statutory
holidays, and a deadline whose counting reached such a year comes back as a
`Deadline` (a `datetime.date`) whose `provisional` is True. Callers:
- an action stores it with its `*_provisional` flag and goes ahead: nobody's lawful
  act is refused because a deadline someone else must meet is not yet certain;
- a display (the document page, a task, an output, the audit report) marks it
  暂定 (`shown(day)`); review.actions.calendar recomputes every stored provisional
  deadline (one audit event per date that moved) when the year is marked complete;
- where a citizen's right depends on the count (the comment window's minimum in
  working days), `check_comment_window` accepts a window only if it is long enough
  with every weekday that could still become a holiday taken off.
The 施行日期 and 有效期至 bounds count calendar days without moving them off
holidays (they are dates a document states, not deadlines a person meets), so
they never need the calendar.
"""

import datetime

from django.utils.translation import gettext as _

from .. import number_text
from ..calendar import HOLIDAY_BRIDGE_DAYS, CalendarMissing, Deadline, is_provisional_deadline
from ..choices import MeetingType, OrganisationKind
from ..errors import Refused

__all__ = ["CalendarMissing", "Deadline", "is_provisional_deadline"]


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


def shown(day):
    """A deadline as pages and outputs show it: "2027-01-04", or "2027-01-04（暂定）"
    when it is provisional (its year's schedule not yet known)."""
    if day is None:
        return ""
    if is_provisional_deadline(day):
        return _("%(date)s（暂定）") % {"date": day.isoformat()}
    return day.isoformat()


def stored(day, provisional):
    """A stored deadline with its stored `*_provisional` flag, as a `Deadline`."""
    return Deadline.of(day, provisional) if day is not None else None


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
    "自5月1日至5月31日" is 30 日). Shorter than `comment_minimum` only with the urgent
    reason stated (条例 art. 15). Returns (working days, calendar days); raises Refused."""
    if opens_on < today:
        raise Refused(_("征求意见开始日期不得早于今天"))
    if closes_on <= opens_on:
        raise Refused(_("截止日期须晚于开始日期"))
    min_working, min_days = comment_minimum(
        settings, market_related=market_related, major_decision=major_decision
    )
    # §9: in a year whose schedule is not yet published, only the working days that no
    # schedule can take away count (the citizen's minimum must hold whatever it says).
    working, days = comment_window_length(calendar, opens_on, closes_on, at_least=True)
    unknown = calendar.unknown_years(opens_on, closes_on)
    shortfall = []
    if working < min_working and unknown:
        shortfall.append(
            _(
                "不少于 %(n)s 个工作日（%(years)s 年放假安排尚未公布，法定节假日及其前后 "
                "%(k)s 日内的工作日均可能放假，按全部扣除计算，所选期间只能确定 %(m)s 个工作日）"
            )
            % {
                "n": min_working,
                "m": working,
                "years": "、".join(str(y) for y in unknown),
                "k": HOLIDAY_BRIDGE_DAYS,
            }
        )
    elif working < min_working:
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


def comment_window_length(calendar, opens_on, closes_on, *, at_least=False):
    """(working days, calendar days) of a comment window: 民法典 art. 201, the day the
    window opens is not counted, the period runs from the next day to `closes_on`
    inclusive; the same count for both kinds of minimum (docs/review-gates.md). With
    `at_least`, a year without a published schedule counts only the working days no
    schedule can take away (`count_working_days_at_least`, §9)."""
    days = (closes_on - opens_on).days
    if days <= 0:
        return 0, 0
    count = calendar.count_working_days_at_least if at_least else calendar.count_working_days
    return count(_days_after(opens_on, 1), closes_on), days


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


def check_entered_number(issuing_code, registered_in, number):
    """A 发文字号 entered from the body's 公文 system (Organisation.number_source): in
    the GB/T 9704 form (full-width digits and 〔〕 lookalikes normalised), with the
    body's 机关代字, of a year not after registration (a December number may be
    registered in January). Gaps are the 公文 system's business: that series numbers
    every 公文 of the body. Returns (prefix, year, serial); raises Refused."""
    text = number_text.normalise_number(number)
    if not text:
        raise Refused(_("本机关的发文字号由公文系统编排：请录入公文系统所编的发文字号"))
    try:
        prefix, year, serial = number_text.parse_document_number(text)
    except ValueError as exc:
        raise Refused(_("发文字号不符合规定格式：%(why)s") % {"why": exc}) from None
    if prefix != issuing_code:
        raise Refused(
            _("发文字号的机关代字“%(prefix)s”与本机关代字“%(code)s”不符")
            % {"prefix": prefix, "code": issuing_code}
        )
    if year > registered_in:
        raise Refused(_("发文字号的年份 %(year)s 晚于登记年度") % {"year": year})
    return prefix, year, serial


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


def legality_review_working_days(submitted_on, due_on, calendar):
    """The working days a stored legality-review deadline gave (`legality_review_due`
    read backwards), to count them again when the calendar has changed."""
    return calendar.count_working_days(_days_after(submitted_on, 1), due_on)


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


def check_provisional(title, provisional=None, reason=""):
    """Whether the shorter 暂行/试行 validity applies (domain-rules §8): detected from the
    title (`is_provisional`); a different choice only with its reason recorded. None
    means "as the title says". Returns the choice; raises Refused."""
    detected = is_provisional(title)
    if provisional is None or provisional == detected:
        return detected
    if not (reason or "").strip():
        if detected:
            raise Refused(
                _("标题含“暂行”或“试行”，按暂行、试行文件确定有效期；不按此认定的，须载明理由")
            )
        raise Refused(
            _("标题不含“暂行”或“试行”，按一般文件确定有效期；认定为暂行、试行文件的，须载明理由")
        )
    return provisional


def expiry_ends_on(valid_until):
    """The first day a document is no longer in force when its 有效期 runs out: the day
    after 有效期至 (有效期至 is the last day in force, domain-rules §8)."""
    return _days_after(valid_until, 1)


def check_end_date(*, published_on, valid_until, ended_on):
    """The first day no longer in force that a 废止/修改/宣布失效 decision states
    (自某日起废止: that day). It falls after 公布 (a document not yet published is
    withdrawn, not repealed) and no later than the day after 有效期至 (by then it has
    lapsed on its own). Raises Refused."""
    if published_on is not None and ended_on <= published_on:
        raise Refused(_("失效日期须晚于公布日期 %(date)s") % {"date": published_on})
    if valid_until is not None and ended_on > expiry_ends_on(valid_until):
        raise Refused(
            _("有效期至 %(date)s，届满即失效；失效日期不得晚于 %(last)s")
            % {"date": valid_until, "last": expiry_ends_on(valid_until)}
        )


def end_date_rule(*, published_on, valid_until):
    """The end-date rule in words, for a page that lists the next steps."""
    if valid_until is None:
        return _("失效日期（自该日起不再有效）须晚于公布日期")
    return _("失效日期（自该日起不再有效）须晚于公布日期，且不晚于 %(last)s") % {
        "last": expiry_ends_on(valid_until)
    }


def evaluation_opens_on(settings, valid_until):
    """The day from which a document is due for evaluation: 有效期届满前 6 个月
    (`evaluation_months_before_expiry`, domain-rules §8, local)."""
    return months_before(valid_until, settings.evaluation_months_before_expiry)


# --- §9 the year's holiday schedule ------------------------------------------------


def check_year_schedule(year, holidays, workdays, *, package_knows=False):
    """The schedule an administrator enters for `year` from the 国务院办公厅 notice:
    every date in the year, none both a holiday and a 调休 working day, every 调休
    working day a Saturday or Sunday, at least one holiday; not for a year that
    chinesecalendar already has. Returns (holidays, workdays) as sets; raises Refused."""
    if package_knows:
        raise Refused(
            _(
                "chinesecalendar 已有 %(year)s 年的放假安排，无需录入；个别日期请在“节假日与调休”中调整"
            )
            % {"year": year}
        )
    holidays, workdays = set(holidays), set(workdays)
    listed = "、".join

    outside = sorted(d for d in holidays | workdays if d.year != year)
    if outside:
        raise Refused(
            _("以下日期不在 %(year)s 年内：%(dates)s")
            % {"year": year, "dates": listed(d.isoformat() for d in outside)}
        )
    both = sorted(holidays & workdays)
    if both:
        raise Refused(
            _("以下日期既是放假日又是调休上班日：%(dates)s")
            % {"dates": listed(d.isoformat() for d in both)}
        )
    weekdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekdays:
        raise Refused(
            _("调休上班日应为周六或周日：%(dates)s")
            % {"dates": listed(d.isoformat() for d in weekdays)}
        )
    if not holidays:
        raise Refused(_("请填写放假日期"))
    return holidays, workdays


# --- a task's timers --------------------------------------------------------------


def overdue_on(due, days_before=0):
    """The first day a deadline is missed (the day after it), or with `days_before` the
    first day of its due-soon warning."""
    return _days_after(due, 1 - days_before)


# A task without a deadline gets a timer that does not fire.
UNKNOWN_DEADLINE_WAIT = datetime.timedelta(days=36500)


# --- one module per later topic ------------------------------------------------------
# A new topic's periods go in review/rules/<topic>.py (pure functions citing their
# source, as above) and are re-exported here, so callers keep writing `rules.name`.

from .filing import *  # noqa: E402, F403 (callers write rules.filing_due)
from .suggestions import *  # noqa: E402, F403 (callers write rules.suggestion_due)
from .validity import *  # noqa: E402, F403 (callers write rules.evaluation_window_end)
