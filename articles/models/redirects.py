"""Old public addresses that answer 301 to where their page lives now."""

from django.db import models
from django.db.models import Q
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def is_local_path(path: str) -> bool:
    """A path on this site ("/sport/"), never another host ("//evil",
    "/\\evil", "https://…"): a redirect may only lead here."""
    return (
        path.startswith("/")
        and not path.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(path, allowed_hosts=set())
    )


class AddressRedirectQuerySet(models.QuerySet):
    def target_for(self, path: str) -> str | None:
        """Where the old address `path` moved to, or None."""
        target = self.filter(old_path=path).values_list("new_path", flat=True).first()
        return target if target and is_local_path(target) else None


class AddressRedirect(models.Model):
    """A public address that changed (a renamed section, tag, region,
    author, or an article's new slug): links and bookmarks to `old_path`
    keep working. Written by articles/addresses.py whenever a slug changes.
    """

    old_path = models.CharField(_("Alte Adresse"), max_length=500, unique=True)
    new_path = models.CharField(_("Neue Adresse"), max_length=500)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    objects = AddressRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")
        ordering = ["old_path"]
        constraints = [
            # Only to a path of this site: never an open redirect.
            models.CheckConstraint(
                condition=Q(new_path__startswith="/")
                & ~Q(new_path__startswith="//")
                & ~Q(new_path__contains="\\"),
                name="redirect_target_is_a_local_path",
                violation_error_message=_(
                    "Eine Weiterleitung darf nur auf eine Adresse dieser Website "
                    "führen (beginnend mit einem „/“)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(old_path=models.F("new_path")),
                name="redirect_leads_elsewhere",
                violation_error_message=_(
                    "Eine Weiterleitung muss auf eine andere Adresse führen."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
