from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk.navigation import links_for
from review import lifecycle
from review.states import State

register = template.Library()

# Audit actions that are not transitions of the lifecycle.
ACTIONS = {
    "create": _("创建文件"),
    "add_version": _("提交新版本"),
    "add_attachment": _("添加附件"),
    "classify": _("认定文件性质"),
    "record_legality_review": _("出具合法性审核意见"),
    "sign_advisor_opinion": _("法律顾问签署意见"),
    "defer_deliberation": _("审议暂缓"),
    "extend_filing_review": _("延长备案审查期限"),
    "task_overdue": _("任务逾期"),
    "open_comment": _("公开征求意见"),
    "close_comment": _("结束征求意见"),
    "article_note": _("批注条文"),
    "hand_over_task": _("移交待办"),
    "receive_remote": _("收到其他部署的报送"),
    "filing_accepted": _("备案审查机关接收（法定报送日期）"),
    "backfill": _("补登记（发文核对）"),
    "close_finding": _("处理发文核对问题"),
}


@register.filter
def action_label(name):
    if name in ACTIONS:
        return ACTIONS[name]
    try:
        return lifecycle.label(name)
    except (AttributeError, StopIteration):
        return name


@register.filter
def state_label(value):
    try:
        return State(value).label
    except ValueError:
        return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.simple_tag
def audit_timeline(events):
    """The audit trail as <li> items, built in Python: a template loop costs ~0.1 ms
    an event, which a document with a thousand events turns into a slow page."""
    system = escape(gettext("系统"))
    labels, states = {}, {}

    def label(action):
        if action not in labels:
            labels[action] = escape(str(action_label(action)))
        return labels[action]

    def state(value):
        if value not in states:
            states[value] = escape(str(state_label(value)))
        return states[value]

    items = []
    rows = events.values_list(
        "at",
        "actor_name",
        "action",
        "from_state",
        "to_state",
        "note",
        "data__on_behalf_of_name",
    )
    for at, actor, action, before, after, note, principal in rows:
        local = timezone.localtime(at)
        who = escape(actor) if actor else system
        if principal:  # 代理: who acted, and for whom (review.audit.on_behalf)
            who += escape(gettext("（代%(name)s）") % {"name": principal})
        item = (
            f'<li><time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time> · '
            f"{who} · {label(action)}"
        )
        if before != after:
            item += f"（{state(before)} → {state(after)}）"
        if note:
            item += " · " + escape(Truncator(note).chars(120))
        items.append(item + "</li>")
    return mark_safe("".join(items))


@register.simple_tag(takes_context=True)
def nav_links(context):
    """The menu of the user on this page: only what their roles may open."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return []
    return links_for(user)


@register.simple_tag
def sort_header(sorting, key, label):
    """A column header that sorts the list on the server (desk.sorting.Sorting):
    `<th aria-sort>` on the current column, a link that sorts by it or flips it."""
    if not sorting or key not in sorting.columns:
        return format_html('<th scope="col">{}</th>', label)
    url, state = sorting.header(key)
    arrow = {"ascending": "▲", "descending": "▼"}.get(state, "↕")
    return format_html(
        '<th scope="col"{}><a class="sort" href="{}">{}<span class="arrow" aria-hidden="true">{}</span></a></th>',
        format_html(' aria-sort="{}"', state) if state else "",
        url,
        label,
        arrow,
    )
