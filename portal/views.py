"""The public comment portal (domain-rules §4): no login, the only pages strangers reach.

Plain server-rendered HTML. A submission is checked in this order — unknown
document (404), CSRF (403, Django's middleware), flood (429), honeypot (400),
period not open (409), bad input (400) — and each refusal changes nothing. A
receipt is shown only after the comment is committed.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from review import comments, downloads
from review.actions import comment_minimum
from review.calendar import WorkingCalendar
from review.errors import Refused
from review.models import Attachment, AttachmentKind, Comment, CommentPeriod
from review.states import State
from review.text import CleanTextMixin

from . import ratelimit

CLOSED_PAGE_SIZE = 30


class CommentForm(CleanTextMixin, forms.Form):
    article = forms.TypedChoiceField(
        label=gettext_lazy("针对条款"), required=False, coerce=int, empty_value=None
    )
    author_kind = forms.ChoiceField(
        label=gettext_lazy("提交方式"),
        choices=Comment.AuthorKind.choices,
        initial=Comment.AuthorKind.PERSON,
        widget=forms.RadioSelect,
    )
    author_name = forms.CharField(
        label=gettext_lazy("姓名或单位名称"),
        required=False,
        help_text=gettext_lazy("以个人或单位名义提交时填写；匿名提交无须填写"),
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 100}),
    )
    contact = forms.CharField(
        label=gettext_lazy("联系方式（选填）"),
        required=False,
        help_text=gettext_lazy("电子邮箱或电话号码，仅供工作人员联系，不予公开"),
        widget=forms.TextInput(attrs={"autocomplete": "email", "maxlength": 100}),
    )
    text = forms.CharField(
        label=gettext_lazy("意见内容"),
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Honeypot: hidden from people (the wrapper is `hidden`), filled in by robots.
    website = forms.CharField(label=gettext_lazy("网站（请勿填写）"), required=False)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        if articles is None:
            # Submitting: the article is checked against the draft read under the lock.
            self.fields["article"] = forms.IntegerField(required=False, min_value=1)
            return
        self.fields["article"].choices = [("", _("对征求意见稿整体提出意见"))] + [
            (str(number), label) for number, label in articles
        ]
        self.fields["text"].widget.attrs["maxlength"] = comments.max_chars()


# --- what the pages show ---------------------------------------------------------


def _latest_periods():
    latest = CommentPeriod.objects.filter(document=OuterRef("document")).order_by(
        "-opens_on", "-pk"
    )
    return CommentPeriod.objects.filter(pk=Subquery(latest.values("pk")[:1]))


def _period_state(period, today):
    if period.is_over_on(today) or period.document.state != State.PUBLIC_COMMENT:
        return "closed"
    if today < period.opens_on:
        return "upcoming"
    return "open"


def _days_left(period, today, calendar, minimum):
    """Working days where the rule counts working days (7 个工作日), else calendar days."""
    if today > period.closes_on:
        return None
    start = max(today, period.opens_on)
    _working, calendar_days = minimum
    # A year whose holiday schedule is not yet known: calendar days, which are certain.
    if not calendar_days and not calendar.unknown_years(start, period.closes_on):
        return calendar.count_working_days(start, period.closes_on), _("个工作日")
    return (period.closes_on - start).days + 1, _("日")


class _Minimums:
    """comment_minimum() once per issuing body, not once per row."""

    def __init__(self):
        self.seen = {}

    def of(self, document):
        key = (document.organisation_id, document.is_market_related, document.is_major_decision)
        if key not in self.seen:
            self.seen[key] = comment_minimum(document)
        return self.seen[key]


def _decorate(periods, today):
    calendar, minimums = WorkingCalendar(), _Minimums()
    for period in periods:
        period.public_state = _period_state(period, today)
        period.days_left = (
            _days_left(period, today, calendar, minimums.of(period.document))
            if period.public_state != "closed"
            else None
        )
    return periods


@require_GET
def index(request):
    today = timezone.localdate()
    base = (
        _latest_periods()
        .select_related("document", "document__organisation")
        .annotate(
            n_published=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED)),
            n_answered=Count(
                "comments",
                filter=Q(comments__status=Comment.Status.PUBLISHED) & ~Q(comments__response=""),
            ),
        )
    )
    running = base.filter(
        closed_at__isnull=True, closes_on__gte=today, document__state=State.PUBLIC_COMMENT
    )
    current = _decorate(list(running.order_by("closes_on", "pk")), today)
    closed = base.exclude(pk__in=running.values("pk")).order_by("-closes_on", "-pk")
    page = Paginator(closed, CLOSED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/index.html",
        {
            "open": [p for p in current if p.public_state == "open"],
            "upcoming": [p for p in current if p.public_state == "upcoming"],
            "page": page,
            "today": today,
        },
    )


def _public_period(pk):
    """The document's latest comment period, or 404 (a document never put out for
    comment is not public)."""
    period = (
        CommentPeriod.objects.filter(document_id=pk)
        .select_related("document", "document__organisation", "version")
        .order_by("-opens_on", "-pk")
        .first()
    )
    if period is None:
        raise Http404(_("没有这份征求意见稿"))
    return period


def _notes(document):
    return list(
        Attachment.objects.filter(document=document, kind=AttachmentKind.DRAFTING_NOTE).order_by(
            "uploaded_at", "pk"
        )
    )


def _document_page(request, period, form=None, error="", status=200):
    today = timezone.localdate()
    document = period.document
    _decorate([period], today)
    blocks = comments.parse_articles(period.version.text)
    context = {
        "period": period,
        "document": document,
        "blocks": blocks,
        "notes": _notes(document),
        "today": today,
        "error": error,
        "retention_days": comments.retention_days(),
    }
    if period.public_state == "open":
        articles = comments.article_choices(period.version.text)
        if form is None:
            initial = {}
            wanted = request.GET.get("article", "")
            if wanted.isdigit() and int(wanted) in {n for n, _l in articles}:
                initial["article"] = wanted
            form = CommentForm(articles=articles, initial=initial)
        context["form"] = form
    else:
        context["counts"] = comments.counts(period)
        context["spam"] = comments.spam_list(period)
        context["rows"] = comments.rows(period, statuses=(Comment.Status.PUBLISHED,))
    response = render(request, "public/document.html", context, status=status)
    return response


@require_GET
@ensure_csrf_cookie
def document(request, pk):
    return _document_page(request, _public_period(pk))


def _refuse(request, pk, message, status, entered=None):
    """Draw the document's page again with the refusal (and what was entered, if any)."""
    period = _public_period(pk)
    form = None
    if entered is not None:
        form = CommentForm(entered, articles=comments.article_choices(period.version.text))
        form.is_valid()
    return _document_page(request, period, form=form, error=message, status=status)


@require_POST
def submit(request, pk):
    """A citizen's comment on the document's latest comment period. Nothing is read
    before the submission itself, which reads and locks the period in one statement
    and checks the article against its draft (review.comments.submit_comment_on)."""
    address = ratelimit.client_address(request)
    wait = ratelimit.check_comment(address, pk)
    if wait:
        period = _public_period(pk)  # the whole period, for the page
        response = render(
            request, "public/ratelimited.html", {"period": period, "wait": wait}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    form = CommentForm(request.POST, articles=None)
    if request.POST.get("website"):
        message = _("提交未被接受：表单中有一项应留空的内容被填写了。")
        return _refuse(request, pk, message, 400, request.POST)
    if not form.is_valid():
        message = _("请检查所填内容：所选条款或提交方式无效。")
        return _refuse(request, pk, message, 400, request.POST)
    data = form.cleaned_data
    try:
        comment = comments.submit_comment_on(
            pk,
            text=data["text"],
            article=data["article"],
            author_kind=data["author_kind"],
            author_name=data["author_name"],
            contact=data["contact"],
            address=address,
        )
    except CommentPeriod.DoesNotExist as missing:
        raise Http404(_("没有这份征求意见稿")) from missing
    except comments.PeriodClosed as closed:
        return _refuse(request, pk, closed.message, 409)
    except Refused as refused:
        return _refuse(request, pk, refused.message, 400, request.POST)
    # Committed: only now is the receipt shown.
    return redirect(reverse("public:receipt", args=[comment.receipt]) + "?new=1")


@require_GET
def download_draft(request, pk):
    """The draft as uploaded, read through its storage — only while it is out for
    comment (domain-rules §4); before and after, a 404 like any document not public."""
    period = _public_period(pk)
    if _period_state(period, timezone.localdate()) != "open":
        raise Http404(_("征求意见期外不提供征求意见稿下载"))
    version = period.version
    version.document = period.document
    filename, content_type = downloads.version_name(version, suffix=_("征求意见稿"))
    if version.file:
        response = FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
    else:
        response = HttpResponse(version.text, content_type=content_type)
        response["Content-Disposition"] = _disposition(filename)
    response["Cache-Control"] = "no-store"
    return response


def _disposition(filename):
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


@require_GET
def download_note(request, pk, note_pk):
    period = _public_period(pk)
    note = get_object_or_404(
        Attachment, pk=note_pk, document_id=period.document_id, kind=AttachmentKind.DRAFTING_NOTE
    )
    filename, content_type = downloads.attachment_name(note)
    if note.file:
        return FileResponse(
            note.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response = HttpResponse(note.text, content_type=content_type)
    response["Content-Disposition"] = _disposition(filename)
    return response


@never_cache
@require_GET
def receipt(request, code=None):
    return receipt_page(request, code)


def receipt_page(request, code=None, extra=None, status=None):
    code = (code or request.GET.get("receipt", "")).strip().upper()
    comment = None
    if code:
        comment = (
            Comment.objects.select_related(
                "period", "period__document", "period__document__organisation", "cluster"
            )
            .filter(receipt=code)
            .first()
        )
    if status is None or comment is None:
        status = 404 if code and comment is None else 200
    context = {"code": code, "comment": comment, "new": request.GET.get("new") == "1"}
    context.update(extra or {})
    if comment is not None:
        period = comment.period
        context["closed"] = (
            period.is_over_on(timezone.localdate()) or period.document.state != State.PUBLIC_COMMENT
        )
        if comment.article:
            labels = dict(comments.article_choices(period.version.text))
            context["article_label"] = labels.get(comment.article, f"第{comment.article}条")
    return render(request, "public/receipt.html", context, status=status)
