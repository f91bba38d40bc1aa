"""A version's text as stored articles (第X条, under their 第X章), split once at
upload, and the notes a legality reviewer or legal advisor attaches to an article."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VersionArticle(models.Model):
    """One block of a version's text, in order: the lines before the first article
    (number None, label ""), or an article. `chapter` is the 第X章 (or 节/编) heading
    it stands under, "" before any."""

    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("版本"),
        on_delete=models.CASCADE,
        related_name="articles",
        db_index=False,  # the leading column of unique_article_position
    )
    position = models.PositiveIntegerField(_("顺序"))
    chapter = models.CharField(_("章"), max_length=200, blank=True)
    number = models.PositiveIntegerField(_("条号"), null=True, blank=True)
    label = models.CharField(_("条"), max_length=30, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_article_position")
        ]

    def __str__(self):
        return self.label or str(_("序言"))


class ArticleNote(models.Model):
    """A reviewer's note on one article of the version under review; it goes into the
    合法性审核意见书."""

    article = models.ForeignKey(
        VersionArticle,
        verbose_name=_("条文"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批注人"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    text = models.TextField(_("批注"))
    created_at = models.DateTimeField(_("批注时间"), default=timezone.now)

    class Meta:
        verbose_name = _("条文批注")
        verbose_name_plural = _("条文批注")
        ordering = ["article", "created_at", "pk"]

    def __str__(self):
        return f"{self.article} · {self.text[:20]}"
