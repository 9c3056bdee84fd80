""" "Meine Aufgaben" in full (issue #17): what is returned to me, assigned to
me or a group of mine, and the notes that mention me, each list paged.

Pages are cut by keys, not by offsets (as the photo chooser's): newest
first by (time, id), and the next page starts below the last row shown.
Each page is one query over an indexed range (the assignment columns' and
`mention_newest`), whatever the page and however many tasks there are.
The dashboard (dashboard.py) shows the newest few of each list and links
here. NewsroomAdminSite.get_urls() wraps the views in admin_view.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.views import post_only
from articles.models import Article, NoteMention
from articles.workflow import services

RETURNED, ASSIGNED, MENTIONS = "zurueckgegeben", "zugewiesen", "erwaehnt"
ROWS_PER_PAGE = 25


@dataclass(frozen=True)
class TaskList:
    slug: str
    title: str
    # The row's time (the newer, the earlier it is listed) and its id.
    time_field: str

    def rows(self, user) -> QuerySet:
        match self.slug:
            case "zurueckgegeben":
                return Article.objects.returned_to(user).select_related(
                    "section", "sent_back__by"
                )
            case "zugewiesen":
                return Article.objects.waiting_on(user).select_related(
                    "section", "assigned_group"
                )
        return NoteMention.objects.of(user).select_related(
            "note__author", "note__article__section"
        )

    def url(self, key: str = "") -> str:
        query = {"liste": self.slug} | ({"nach": key} if key else {})
        return f"{reverse('admin:my_tasks')}?{urlencode(query)}"


TASK_LISTS = {
    task_list.slug: task_list
    for task_list in (
        TaskList(RETURNED, gettext_lazy("An mich zurückgegeben"), "sent_back__at"),
        TaskList(ASSIGNED, gettext_lazy("Mir zugewiesen"), "modified_at"),
        TaskList(MENTIONS, gettext_lazy("Notizen, die mich erwähnen"), "created_at"),
    )
}


def parse_key(text: str) -> tuple[datetime, int] | None:
    """The (time, id) a page starts below, or None for the first page."""
    stamp, _sep, pk = (text or "").partition("~")
    try:
        moment, number = datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return None
    if timezone.is_naive(moment) or number < 1:
        return None
    return moment, number


def key_of(task_list: TaskList, row) -> str:
    value = row
    for part in task_list.time_field.split("__"):
        value = getattr(value, part)
    return f"{value.isoformat()}~{row.pk}"


def task_page(task_list: TaskList, user, key: str = "") -> tuple[list, str]:
    """One page of `task_list` for `user`, and the next page's key ("" on
    the last page); one query."""
    field = task_list.time_field
    rows = task_list.rows(user).order_by(f"-{field}", "-pk")
    if (start := parse_key(key)) is not None:
        moment, pk = start
        rows = rows.filter(
            Q(**{f"{field}__lt": moment}) | Q(**{field: moment}, pk__lt=pk)
        )
    size = ROWS_PER_PAGE
    page = list(rows[: size + 1])
    if len(page) <= size:
        return page, ""
    return page[:size], key_of(task_list, page[size - 1])


def _check_may_work(request) -> None:
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied


def my_tasks(site, request):
    _check_may_work(request)
    task_list = TASK_LISTS.get(request.GET.get("liste", RETURNED))
    if task_list is None:
        raise Http404("no such list")
    rows, next_key = task_page(task_list, request.user, request.GET.get("nach", ""))
    context = {
        **site.each_context(request),
        "title": _("Meine Aufgaben"),
        "task_lists": TASK_LISTS.values(),
        "task_list": task_list,
        "tabs": [(t, t.url(), t is task_list) for t in TASK_LISTS.values()],
        "rows": rows,
        "is_first_page": not request.GET.get("nach"),
        "first_url": task_list.url(),
        "next_url": task_list.url(next_key) if next_key else "",
    }
    return TemplateResponse(request, "admin/articles/my_tasks.html", context)


@post_only
def mention_done(site, request, mention_id):
    """ "Erledigt": a mention leaves the dashboard without opening the
    article; only one's own."""
    _check_may_work(request)
    done = services.mark_mentions_read(request.user, mention_ids=[mention_id])
    if done:
        messages.success(request, _("Erwähnung als erledigt markiert."))
    back = request.POST.get("zurueck", "")
    if not back.startswith(reverse("admin:my_tasks")):
        back = TASK_LISTS[MENTIONS].url()
    return HttpResponseRedirect(back)
