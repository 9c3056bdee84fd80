"""Reading HTTP response headers in tests."""


def cache_control(response) -> set[str]:
    """The Cache-Control directives, e.g. {"public", "max-age=0", "s-maxage=60"}."""
    return {part.strip() for part in response["Cache-Control"].split(",")}


def shared_cache_seconds(response) -> int:
    """How long a shared cache (a CDN) may keep the response: its s-maxage."""
    [shared] = [d for d in cache_control(response) if d.startswith("s-maxage=")]
    return int(shared.removeprefix("s-maxage="))
