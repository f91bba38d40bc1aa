"""The bell's pages: every notification of the user, open one (marked read, then its
page), mark all read, and the user's preferences. A notification of another user: 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .models import Kind, Notification, Preference
from .service import preference_of

PAGE_SIZE = 50


def login_required(view):
    return _login_required(view, login_url="desk:login")


class PreferenceForm(forms.ModelForm):
    muted = forms.MultipleChoiceField(
        label=gettext_lazy("以下类型不发邮件（仍在站内显示）"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Preference
        fields = ["email", "muted"]


@login_required
def notification_list(request):
    listed = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification.objects.filter(user=request.user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("已全部标为已读"))
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference = preference_of(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知设置已保存"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
