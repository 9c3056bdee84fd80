"""A 404 at an address that moved answers 301 to where the page is now
(the records: articles/addresses.py)."""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from articles.models import AddressRedirect

# Article addresses carry the id: the article page itself redirects every
# old one while the article is public. Its 404 or 410 is final; a record
# must not lead from there to the new address of an article the public may
# not see (its new slug would give the headline away).
DECIDES_ITSELF = {"articles:detail"}


class AddressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        # A page that exists at the old address again always wins.
        if decides_itself(request.path):
            return response
        target = AddressRedirect.objects.target_for(request.path)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def decides_itself(path: str) -> bool:
    try:
        return resolve(path).view_name in DECIDES_ITSELF
    except Resolver404:
        return False
