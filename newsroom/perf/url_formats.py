"""reverse() for the site's most built addresses, at the cost of a format().

reverse() takes about 15 µs. A front page builds some sixty article and
fifty image addresses, every page the navigation's section addresses; that
was a tenth of a page's time. A `UrlFormat` asks reverse() once per URLconf
and script prefix, with stand-in arguments, and keeps the result as a format
string. Arguments a stand-in could not stand for (a slug with other
characters, a negative number) go to reverse() itself, so the address is
always the one reverse() gives.
"""

import re
from functools import cache, partial

from django.urls import get_script_prefix, get_urlconf, reverse

from newsroom.perf.switch import fast_path

# What each stand-in may replace: values reverse() puts into the address
# unchanged (no quoting) for the path converter of that kind.
ACCEPTS = {
    "slug": re.compile(r"[-a-zA-Z0-9_]+\Z").match,
    "int": lambda value: type(value) is int and value >= 0,
    # <str:…> path segments: no "/" and nothing reverse() would quote.
    "str": re.compile(r"[-a-zA-Z0-9_.~]+\Z").match,
}


class UrlFormat:
    """`UrlFormat("articles:detail", "slug", "slug", "int")(section, slug, pk)`."""

    def __init__(self, name: str, *kinds: str):
        self.name = name
        self.kinds = kinds
        self.checks = [ACCEPTS[kind] for kind in kinds]
        self.stand_ins = [
            987_650 + i if kind == "int" else f"zq{i}standinzq"
            for i, kind in enumerate(kinds)
        ]

    def __call__(self, *args) -> str:
        if not fast_path():
            return reverse(self.name, args=args)
        address = self._format(get_script_prefix(), get_urlconf())
        return _fill(self.name, self.checks, address, *args)

    def for_many(self):
        """`self` for a list of thousands (a month's sitemap): the script
        prefix and URLconf, thread-locals that cost more than the format,
        are read once for all of them."""
        if not fast_path():
            return self
        address = self._format(get_script_prefix(), get_urlconf())
        return partial(_fill, self.name, self.checks, address)

    @cache  # noqa: B019 -- a few instances, alive as long as the process
    def _format(self, script_prefix: str, urlconf: str | None) -> str:
        # The prefix is an argument only to key the cache: reverse() reads
        # the same thread-local prefix itself.
        address = reverse(self.name, args=self.stand_ins, urlconf=urlconf)
        address = address.replace("{", "{{").replace("}", "}}")
        for position, stand_in in enumerate(self.stand_ins):
            if address.count(str(stand_in)) != 1:
                raise ValueError(f"{self.name}: stand-in {stand_in} not found once")
            address = address.replace(str(stand_in), f"{{{position}}}")
        return address


def _fill(name: str, checks, address: str, *args) -> str:
    """`address` with `args`, or reverse()'s where a stand-in could not
    stand for one of them."""
    for check, value in zip(checks, args, strict=True):
        if not check(value):
            return reverse(name, args=args)
    return address.format(*args)
