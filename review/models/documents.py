"""The normative document, its drafts (versions) and its attachments.

The state machine of the document is in `review.lifecycle` (the `DocumentLifecycle`
mixin); the records of each stage are in the sibling modules, which refer to the
document by the name "review.NormativeDocument" so that this module may read them.
"""

import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from .. import rules
from ..choices import (
    REGISTER_IN_PROGRESS,
    AttachmentKind,
    Category,
    Classification,
    EndCause,
)
from ..lifecycle import DocumentLifecycle
from ..states import IN_FORCE_STATES, PUBLISHED_STATES, State
from .decisions import Publication, Registration
from .legality import AdvisorOpinion
from .organisations import Membership, Organisation


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of the bodies the user belongs to, plus — for a filing authority's
        staff — the documents that have been filed with that authority and the
        published documents of the bodies that file with it (备案条例 art. 20: it
        must see an overdue filing to demand it)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        receives_filings = Exists(
            Organisation.objects.filter(files_with=OuterRef("organisation_id"))
        )
        rows = list(
            Membership.objects.filter(user=user)
            .annotate(authority=receives_filings)
            .values_list("organisation_id", "authority")
        )
        org_ids = [org_id for org_id, _authority in rows]
        # Only a filing authority's staff need the second branch; without it the
        # register is a plain indexed filter (the OR costs every other user).
        if not any(authority for _org_id, authority in rows):
            return self.filter(organisation_id__in=org_ids)
        # Each branch an index can answer: no join, no subquery over every filing (the
        # bodies that file with us are a handful, an IN list SQLite builds once).
        filers = Organisation.objects.filter(files_with_id__in=org_ids).values("pk")
        visible = (
            Q(organisation_id__in=org_ids)
            | Q(filing_authority_id__in=org_ids)
            | Q(organisation_id__in=filers, state__in=PUBLISHED_STATES)
        )
        # One test per row (a CASE), not three branches: as an OR, SQLite gathers every
        # visible row through three indexes (MULTI-INDEX OR; PostgreSQL a BitmapOr) and
        # sorts them all for a page of 50. As one test, a page walks the covering index
        # document_visible_order in the register's order and stops once it has its rows,
        # and the count reads that index alone (docs/performance.md, session 7).
        return self.alias(
            visible_here=Case(
                When(visible, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        ).filter(visible_here=True)

    def in_force_on(self, day):
        """rules.in_force_on as a query: `day` within the stored interval in force
        (in_force_from ≤ day ≤ in_force_until, no last day: no end), tested in the index
        document_in_force without a join (docs/performance.md, session 7)."""
        return self.filter(in_force_from__lte=day).filter(
            Q(in_force_until__gte=day) | Q(in_force_until__isnull=True)
        )

    def refresh_in_force(self):
        """Store the interval in force of these documents again from their dates: for
        rows written in bulk (bulk_create, a benchmark's loader), which no save() sees.
        One UPDATE per distinct interval (documents published together share one)."""
        rows = self.values_list(
            "pk", "state", "effective_from", "valid_until", "ended_on", "publication__published_on"
        )
        by_interval = {}
        for pk, state, effective, until, ended_on, published in rows.iterator():
            document = self.model(effective_from=effective, valid_until=until, ended_on=ended_on)
            interval = in_force_dates(state, document, published)
            by_interval.setdefault(interval, []).append(pk)
        for (first, last), pks in by_interval.items():
            for start in range(0, len(pks), 500):
                self.model.objects.filter(pk__in=pks[start : start + 500]).update(
                    in_force_from=first, in_force_until=last
                )
        return sum(len(pks) for pks in by_interval.values())


IN_FORCE_FIELDS = ("in_force_from", "in_force_until")


def in_force_dates(state, document, published_on):
    """(in_force_from, in_force_until) of `document` in `state` published on
    `published_on` (None: not published): rules.in_force_interval; a document never
    published has none, and one ended without a date (a terminal state with no
    ended_on) is never in force."""
    if state not in PUBLISHED_STATES:
        return None, None
    return rules.in_force_interval(
        published_on=published_on,
        effective_from=document.effective_from,
        valid_until=document.valid_until,
        ended_on=document.ended_on,
        ended=state not in IN_FORCE_STATES,
    )


class NormativeDocument(DocumentLifecycle, ConcurrentTransitionMixin, models.Model):
    title = models.CharField(_("标题"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("制定机关"),
        on_delete=models.PROTECT,
        related_name="documents",
        db_index=False,  # served by the index (organisation, state): see NO_INDEX
    )
    drafting_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("起草单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_documents",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    category = models.CharField(
        _("类别"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    is_important = models.BooleanField(_("重要规范性文件"), default=False)
    is_market_related = models.BooleanField(_("涉及市场主体生产经营活动"), default=False)
    is_major_decision = models.BooleanField(_("重大行政决策"), default=False)
    involves_fair_competition = models.BooleanField(_("涉及公平竞争审查"), default=False)
    legal_basis = models.TextField(_("制定依据"), blank=True)
    classification = models.CharField(
        _("文件性质认定"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.PENDING,
    )
    classification_note = models.TextField(_("认定意见"), blank=True)
    state = FSMField(
        _("状态"), default=State.DRAFTING, choices=State.choices, protected=True, db_index=True
    )

    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    immediate_effect_reason = models.TextField(_("公布即施行的理由"), blank=True)
    # §8: the shorter validity of a 暂行/试行 document, detected from the title at
    # publication; a different choice is recorded with its reason.
    provisional = models.BooleanField(_("暂行、试行文件"), default=False)
    provisional_reason = models.TextField(_("暂行、试行认定的说明"), blank=True)
    # §8: the end of validity, whatever its cause: the first day no longer in force
    # (自某日起废止: that day; 有效期届满: the day after 有效期至).
    ended_on = models.DateField(_("失效日期"), null=True, blank=True)
    end_cause = models.CharField(_("失效原因"), max_length=20, choices=EndCause.choices, blank=True)
    end_decision_number = models.CharField(
        _("废止、失效或撤销决定的文号"), max_length=100, blank=True
    )
    repealed_by = models.ForeignKey(
        "self",
        verbose_name=_("被以下文件废止"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeals",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    amended_by = models.ForeignKey(
        "self",
        verbose_name=_("被以下文件修改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amends",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    end_note = models.TextField(
        _("终止说明"), blank=True, help_text=_("撤回、不予登记、废止或失效的理由")
    )
    imported = models.BooleanField(_("历史台账导入"), default=False)
    # Issue 18: entered by the filing authority (补登记) after a reconciliation found it
    # issued but never registered. Shown on the page; the audit counts it late and
    # irregular (docs/reconciliation.md).
    procedure_missing = models.BooleanField(_("程序缺失（补登记）"), default=False)
    # The register (台账) lists documents in progress first, then by 成文日期. Kept on
    # the document so that one index serves the register's order without a join: the
    # registration's signing date once registered, and before that a date after every
    # other, so that in-progress documents sort first.
    register_sort_date = models.DateField(
        _("台账排序日期"), default=REGISTER_IN_PROGRESS, editable=False
    )

    # The authority the document was first filed with (备案条例 art. 3), kept by the
    # filing action, so that an authority's register is an indexed equality rather than
    # a scan of every filing it received (docs/performance.md, session 6). A later
    # authority (the body moved) sees it as the authority its body now files with.
    filing_authority = models.ForeignKey(
        Organisation,
        verbose_name=_("备案审查机关"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the leading column of document_authority_order
    )

    # The days in force (rules.in_force_interval: from the later of 公布 and 施行日期 to
    # the earlier of 有效期至 and the day before ended_on; none: never in force; no last
    # day: no end), derived from the dates, the state and the publication and stored so
    # that "in force on D" is an indexed range without a join (docs/performance.md,
    # session 7). Computed in one place, `in_force_dates`, which save(),
    # Publication.save() (`store_in_force`) and bulk writers (`refresh_in_force`) call.
    in_force_from = models.DateField(_("有效起始日"), null=True, blank=True, editable=False)
    in_force_until = models.DateField(_("有效截止日"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("规范性文件")
        verbose_name_plural = _("规范性文件")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(
                fields=["organisation", "-register_sort_date", "-created_at", "-id"],
                name="document_register_order",
            ),
            # The daily timer (expire_documents) reads the in-force documents whose
            # 有效期至 falls in a range: the ones that change, not all of them.
            models.Index(fields=["state", "valid_until"], name="document_state_valid_until"),
            models.Index(
                fields=["filing_authority", "-register_sort_date", "-created_at", "-id"],
                name="document_authority_order",
            ),
            # A filing authority's register (visible_to): its order, then what the row
            # test reads, so that a page and the count never read the table.
            models.Index(
                fields=[
                    "-register_sort_date",
                    "-created_at",
                    "-id",
                    "organisation",
                    "state",
                    "filing_authority",
                ],
                name="document_visible_order",
            ),
            # The catalogues (in_force_on): the documents ever in force, by body and last
            # day, so that a day's count reads this index alone (no table, no join).
            models.Index(
                fields=["organisation", "in_force_until", "in_force_from"],
                name="document_in_force",
                condition=Q(in_force_from__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Every save stores the interval in force again (`in_force_dates`), so no
        action, import or form can leave it behind its dates; save(update_fields=[])
        (take_row_of) still saves nothing."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or update_fields:
            published_on = None
            if self.pk is not None and self.state in PUBLISHED_STATES:
                published_on = (
                    Publication.objects.filter(document_id=self.pk)
                    .values_list("published_on", flat=True)
                    .first()
                )
            self.in_force_from, self.in_force_until = in_force_dates(self.state, self, published_on)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *IN_FORCE_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("desk:document", args=[self.pk])

    def store_in_force(self, published_on):
        """Store the interval in force once the publication is written (Publication.save):
        without a transition, so by update()."""
        self.in_force_from, self.in_force_until = in_force_dates(self.state, self, published_on)
        NormativeDocument.objects.filter(pk=self.pk).update(
            in_force_from=self.in_force_from, in_force_until=self.in_force_until
        )

    def take_row_of(self, fresh):
        """Become `fresh`, a copy of the same row read later, without a query: what an
        action hands back to its caller. Not refresh_from_db(): django-fsm-2 reloads a
        protected state by switching the field's `protected` flag off for the whole
        process and on again, and two threads doing so at once make one of them fail
        with "Direct state modification is not allowed"."""
        state = NormativeDocument._meta.get_field("state")
        for field in self._meta.concrete_fields:
            if field is not state:
                setattr(self, field.attname, getattr(fresh, field.attname))
        state.set_state(self, fresh.state)  # as a transition sets it
        self.organisation = fresh.organisation
        # An empty update_fields saves nothing (Django returns before any query), and
        # ConcurrentTransitionMixin then notes the state as the one stored.
        self.save(update_fields=[])

    # --- small predicates used by guards, views and reports -----------------

    @property
    def settings(self):
        return self.organisation.jurisdiction

    @property
    def requires_public_comment(self):
        """37号: important documents go out for comment; market-related and major-decision
        documents always do (优化营商环境条例 art. 62; 重大行政决策条例 art. 15)."""
        return self.is_important or self.is_market_related or self.is_major_decision

    @contextmanager
    def reading_once(self):
        """Within the block each record below is read from the database once between
        two writes: any statement other than a SELECT on the connection (a save(), an
        update(), a raw write, by whatever code) forgets every record read so far, so
        no read outlives a write. An action holds one around its work; a transition's
        guards (review.lifecycle.guards_evaluated_once) one around their judgement.
        Outside such a block every read goes to the database. Nested blocks share
        the outer one."""
        if getattr(self, "_read_memo", None) is not None:
            yield
            return
        self._read_memo = {}
        try:
            with connections[self._state.db or DEFAULT_DB_ALIAS].execute_wrapper(
                self._forget_on_write
            ):
                yield
        finally:
            self._read_memo = None

    def _forget_on_write(self, execute, sql, params, many, context):
        if not sql.lstrip()[:6].upper() == "SELECT":
            self._read_memo.clear()
        return execute(sql, params, many, context)

    def _once(self, key, read):
        memo = getattr(self, "_read_memo", None)
        if memo is None:
            return read()
        if key not in memo:
            memo[key] = read()
        return memo[key]

    @property
    def current_version(self):
        return self._once("version", lambda: self.versions.order_by("-number").first())

    @property
    def latest_review(self):
        return self._once(
            "review", lambda: self.legality_reviews.order_by("-started_at", "-pk").first()
        )

    @property
    def latest_deliberation(self):
        return self._once(
            "deliberation",
            lambda: self.deliberations.order_by("-meeting_date", "-pk").first(),
        )

    @property
    def latest_filing(self):
        """With its review (Filing.review_or_none), read in the same query."""
        return self._once(
            "filing",
            lambda: self.filings.select_related("review").order_by("-filed_on", "-pk").first(),
        )

    @property
    def registration_or_none(self):
        return self._once(
            "registration", lambda: Registration.objects.filter(document=self).first()
        )

    @property
    def publication_or_none(self):
        return self._once("publication", lambda: Publication.objects.filter(document=self).first())

    @property
    def open_correction(self):
        return self.corrections.filter(closed_on__isnull=True).order_by("-pk").first()

    def attachment_kinds(self):
        return self._once(
            "attachment_kinds",
            lambda: set(self.attachments.order_by().values_list("kind", flat=True)),
        )

    def advisor_opinions_on_current(self):
        """The legal advisors' opinions on the current text, oldest first: what the
        deliberation is shown (a disagreement among them, 条例 art. 30 as it was)."""
        current = self.current_version
        if current is None:
            return []
        return self._once(
            "advisor_opinions_on_current",
            lambda: list(
                AdvisorOpinion.objects.filter(
                    review__document=self, version_sha256=current.sha256
                ).order_by("signed_at", "pk")
            ),
        )

    def advisor_signed_texts(self):
        """The SHA-256 of every text a legal advisor has signed an opinion on."""
        return self._once(
            "advisor_signed_texts",
            lambda: set(
                AdvisorOpinion.objects.filter(review__document=self)
                .order_by()
                .values_list("version_sha256", flat=True)
            ),
        )


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_upload_path(instance, filename):
    return f"documents/{instance.document_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class DocumentVersion(models.Model):
    """A draft as submitted: an uploaded .docx with its text extracted, or plain text.
    Its SHA-256 binds reviews and sign-offs to exactly what was read."""

    document = models.ForeignKey(
        NormativeDocument, verbose_name=_("文件"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    file = models.FileField(_("文件"), upload_to=document_upload_path, blank=True)
    text = models.TextField(_("正文"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = _("版本")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"{self.document} · 第{self.number}稿"

    @property
    def extension(self):
        """The uploaded file's type (docx, doc, wps, pdf), "" for a typed text."""
        name = self.file.name if self.file else ""
        return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""

    @property
    def splits_into_articles(self):
        """A typed text or a .docx is split into articles at upload; a .doc, .wps or
        .pdf is kept for download only (无法分条显示)."""
        return not self.file or self.extension == "docx"


class Attachment(models.Model):
    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AttachmentKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=document_upload_path, blank=True)
    text = models.TextField(_("内容"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["document", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"
