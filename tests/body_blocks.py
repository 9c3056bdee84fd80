"""Photos and galleries in an article body as the editor writes them, and
a body saved as an edit, for the tests of the body's photos in the admin,
on public pages and in a real browser."""

from articles.workflow import services


def photo_block(photo, caption="", crop="orig"):
    inner = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (
        f'<figure data-block="photo" data-photo="{photo.pk}" data-crop="{crop}">'
        f"{inner}</figure>"
    )


def gallery_block(gallery):
    return f'<figure data-block="gallery" data-gallery="{gallery.pk}"></figure>'


def saved(article, body):
    """`body` saved as an edit (the service records what it names)."""
    article.body = body
    return services.save_article(article, by=None)
