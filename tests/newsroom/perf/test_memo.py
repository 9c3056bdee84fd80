from newsroom.perf.memo import memoize


def test_a_memo_keeps_only_the_most_recently_used():
    renders = []

    @memoize(2)
    def render(value):
        renders.append(value)
        return value.upper()

    assert [render(v) for v in ("a", "b", "a", "c", "b")] == list("ABACB")
    # "a" was kept and became the newest; "c" pushed out "b".
    assert renders == ["a", "b", "c", "b"]
    assert len(render.memo.entries) == 2


def test_a_memo_of_size_zero_renders_every_time():
    renders = []

    @memoize(0)
    def render(value):
        renders.append(value)

    for _ in range(3):
        render("a")
    assert len(renders) == 3


def test_a_memo_serves_without_the_fast_path(settings):
    """It relies on no Django internal: the switch leaves it on."""
    settings.NEWSROOM_FAST_PATH = False
    renders = []

    @memoize(10)
    def render(value):
        renders.append(value)

    for _ in range(3):
        render("a")
    assert len(renders) == 1


def test_a_memo_keyed_by_django_internals_renders_every_time_without_the_fast_path(
    settings,
):
    settings.NEWSROOM_FAST_PATH = False
    renders = []

    @memoize(10, uses_django_internals=True)
    def render(value):
        renders.append(value)

    for _ in range(3):
        render("a")
    assert len(renders) == 3 and not render.memo.entries
    settings.NEWSROOM_FAST_PATH = True
    for _ in range(3):
        render("a")
    assert len(renders) == 4
