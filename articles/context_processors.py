from django.conf import settings

from articles.models import Section


def site(request):
    """Site name and navigation for every public template."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        # Lazy: evaluated (one query) only by templates that show navigation.
        "nav_sections": Section.objects.all(),
    }
