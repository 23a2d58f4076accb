"""Information work (信息宣传): the federation's news items with their photos, the other outlets each item
was also published in (channels), and the yearly information-work assessment's rules.

An item is written by staff (the federation's own, ``union`` empty) or by a union's chair for their union.
A chair's item goes draft → submitted → returned (with a reason, back to the chair) or published; staff
publish their own drafts directly and may withdraw a published item. Only published items are public."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhub.access import ScopedQuerySet
from unionhub.storage import random_name


class Category(models.TextChoices):
    UNION_NEWS = "union_news", _("Union news (工会动态)")
    GRASSROOTS = "grassroots", _("Grassroots showcase (基层风采)")
    RIGHTS = "rights", _("Rights and services (维权服务)")
    CONTEST = "contest", _("Labour contests (劳动竞赛)")
    CULTURE = "culture", _("Workers' culture (职工文化)")


class Outlet(models.TextChoices):
    """Where an item was also published. The federation's own outlets, then the higher-level unions'."""

    WECHAT = "wechat", _("WeChat official account")
    WEIBO = "weibo", _("Weibo")
    NEWSPAPER = "newspaper", _("The union newspaper")
    QQ = "qq", _("QQ group")
    CITY_SITE = "city_site", _("City union site (海宁市总工会)")
    PREFECTURE_SITE = "prefecture_site", _("Prefecture union site (嘉兴市总工会)")
    PROVINCE_SITE = "province_site", _("Provincial union site (浙江省总工会)")
    PROVINCE_PAPER = "province_paper", _("Provincial workers' newspaper (浙江工人日报)")


# An item published by one of these was picked up by a higher-level outlet (被上级采用): derived from the
# channel, never a flag to keep in step.
HIGHER_OUTLETS = (Outlet.CITY_SITE, Outlet.PREFECTURE_SITE, Outlet.PROVINCE_SITE, Outlet.PROVINCE_PAPER)


class NewsItemQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"

    def published(self):
        return self.filter(status=NewsItem.Status.PUBLISHED)

    def with_picked_up(self):
        return self.annotate(
            picked_up=Exists(NewsChannel.objects.filter(item=OuterRef("pk"), outlet__in=HIGHER_OUTLETS))
        )


class NewsItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(
        _("summary"), max_length=200, blank=True, help_text=_("One or two sentences for lists and sharing.")
    )
    text = models.TextField(_("text"), help_text=_("Markdown: headings, lists, emphasis, links, tables."))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    area = models.ForeignKey(
        "members.Area",
        verbose_name=_("grid area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_items",
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("submitting union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="news_items",
        help_text=_("Empty for the federation's own news."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        permissions = [("publish_newsitem", "Can publish, return and withdraw news items")]
        indexes = [models.Index(fields=["status", "-published_at"], name="news_item_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_item_published_has_date",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def cover(self):
        """The cover photo: the first photo (of prefetched photos when they are)."""
        photos = list(self.photos.all())
        return photos[0] if photos else None


def news_photo_path(photo: "NewsPhoto", filename: str) -> str:
    return f"news/{photo.item_id}/{random_name()}"


class NewsPhoto(models.Model):
    """A photo of an item; the first one (by position, then upload) is the cover shown in lists and shares."""

    item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="photos", verbose_name=_("item")
    )
    image = models.FileField(_("photo"), upload_to=news_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("news photo")
        verbose_name_plural = _("news photos")

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]


class NewsChannel(models.Model):
    """Another outlet that published the item too, with the link and the day."""

    item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="channels", verbose_name=_("item")
    )
    outlet = models.CharField(_("outlet"), max_length=16, choices=Outlet.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["published_on", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(fields=["item", "outlet"], name="news_channel_once_per_outlet")
        ]

    def __str__(self):
        return f"{self.item} · {self.get_outlet_display()}"

    @property
    def is_higher(self) -> bool:
        return self.outlet in HIGHER_OUTLETS


class AssessmentRules(models.Model):
    """The year's information-work assessment (信息化工作考核): points per published item of the union, per
    item picked up by a higher-level outlet, per required report submitted on time; optional caps on how
    many items count."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    points_published = models.DecimalField(_("points per published item"), max_digits=5, decimal_places=1)
    published_cap = models.PositiveSmallIntegerField(
        _("published items counted at most"), null=True, blank=True
    )
    points_picked_up = models.DecimalField(
        _("points per item picked up by a higher outlet"), max_digits=5, decimal_places=1
    )
    picked_up_cap = models.PositiveSmallIntegerField(
        _("picked-up items counted at most"), null=True, blank=True
    )
    points_report_on_time = models.DecimalField(
        _("points per required report on time"), max_digits=5, decimal_places=1
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("information-work assessment rules")
        verbose_name_plural = _("information-work assessment rules")

    def __str__(self):
        return str(self.year)
