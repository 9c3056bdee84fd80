from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin with the editors' dashboard as its start page."""

    default_site = "articles.admin_site.NewsroomAdminSite"
