"""A 404 at an address that moved answers 301 to where the page is now
(the records: articles/addresses.py)."""

from django.http import HttpResponsePermanentRedirect

from articles.models import AddressRedirect


class AddressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        # A page that exists at the old address again always wins.
        target = AddressRedirect.objects.target_for(request.path)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
