from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView

from articles.models import Article, Section
from teasers.services import Teaser, assemble_rails


class ArticleDetailView(DetailView):
    queryset = Article.objects.published().for_detail()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # Old slug or moved section: one permanent address per article.
            return redirect(canonical, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rails"] = assemble_rails(exclude_article_ids=[self.object.pk])
        return context


class SectionView(ListView):
    template_name = "articles/section_detail.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.NEWSROOM_SECTION_PAGE_SIZE

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return (
            Article.objects.published()
            .in_section(self.section)
            .for_listing()
            .order_by("-published_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["section"] = self.section
        context["current_section_slug"] = self.section.slug
        context["teasers"] = [
            Teaser.from_article(article, at=now) for article in context["articles"]
        ]
        return context
