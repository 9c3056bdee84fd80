"""The rails under articles, rendered once and shared by every article page.

Every article page shows the same rails, minus the article the reader is on.
Rendering them per page would cost more than the article itself, so each
teaser is rendered once into its own piece of markup; a page joins the
pieces and leaves out its own article's teaser (its place stays empty rather
than being refilled, which is what keeps the markup shareable).
"""

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.public.page_cache import cached_fragment
from teasers.markup import teaser_html
from teasers.services import assemble_page


@dataclass(frozen=True)
class RenderedRail:
    opening: str
    # (article id or None for a sponsored teaser, the teaser's markup)
    teasers: tuple[tuple[int | None, str], ...]
    closing: str

    def html_without(self, article_id: int) -> str:
        shown = [html for shown_id, html in self.teasers if shown_id != article_id]
        return self.opening + "".join(shown) + self.closing if shown else ""


@dataclass(frozen=True)
class RailsUnderArticles:
    rails: tuple[RenderedRail, ...]
    sponsored_slot_ids: tuple[int, ...]
    changes_at: datetime | None

    def html_without(self, article_id: int) -> SafeString:
        # Every piece was rendered by the template engine, which escaped it.
        return mark_safe("".join(r.html_without(article_id) for r in self.rails))


def render_rails_under_articles(at: datetime) -> RailsUnderArticles:
    page = assemble_page(at=at)
    rails = []
    for assembled in page.rails:
        opening, closing = render_to_string(
            "teasers/_rail.html", {"assembled": assembled}
        ).split("<!--teasers-->")
        rails.append(
            RenderedRail(
                opening=opening,
                teasers=tuple(
                    (
                        teaser.article_id,
                        teaser_html(teaser, "teaser", True, get_language()),
                    )
                    for teaser in assembled.teasers
                ),
                closing=closing,
            )
        )
    return RailsUnderArticles(
        rails=tuple(rails),
        sponsored_slot_ids=tuple(page.sponsored_slot_ids),
        changes_at=page.changes_at,
    )


def rails_under_articles() -> RailsUnderArticles:
    """The shared rails, from the fragment cache or rendered now."""

    def build(now: datetime):
        rails = render_rails_under_articles(now)
        return rails, rails.changes_at

    return cached_fragment("rails-under-articles", build)
