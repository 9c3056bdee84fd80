"""The desk's rules (issue #17): approve and publish per role, state and
four eyes; section-limited desks; "Zurückgeben" with a reason;
assignments; internal notes and their mentions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, ArticleNote, ArticleTransition, NoteMention
from articles.workflow import services
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Many users per test; the password hash is not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


Status = Article.Status


def group_with(name: str, *codenames: str) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
    )
    return group


def user_in(group: str | Group, username: str):
    user = UserFactory(username=username)
    user.groups.add(
        group if isinstance(group, Group) else Group.objects.get(name=group)
    )
    return user


# Roles: the migrations' own, plus a desk set up each way with four eyes
# (approving and publishing given to different people).
ROLES = {
    "Redakteur": set(),
    "Bildredaktion": set(),
    "Anzeigen": set(),
    "Chef vom Dienst": {"approve", "publish"},
    "Textchef (nur freigeben)": {"approve"},
    "Schlussdienst (nur veröffentlichen)": {"publish"},
}
STATES = ["draft", "review", "approved", "published", "withdrawn"]


@pytest.fixture
def people():
    group_with(
        "Textchef (nur freigeben)", "approve_article", "change_article", "view_article"
    )
    group_with(
        "Schlussdienst (nur veröffentlichen)",
        "publish_article",
        "change_article",
        "view_article",
    )
    return {role: user_in(role, f"u{i}") for i, role in enumerate(ROLES)}


def article_in(state: str, *, author, approver) -> Article:
    """An article in `state`, its text last saved by `author`; approved ones
    approved by `approver` (the system's state changes otherwise)."""
    if state in ("published", "withdrawn"):
        article = ArticleFactory(created_by=author)
    else:
        article = ArticleFactory(draft=True, created_by=author)
    services.record_revision(article, by=author)
    if state in ("review", "approved"):
        services.submit_for_review(article, by=None)
    if state == "approved":
        services.approve_article(article, by=approver)
    if state == "withdrawn":
        services.withdraw_article(article, by=None, reason="Rechtliche Prüfung")
    assert article.status == state
    return article


def expected_approve(rights: set[str], state: str) -> bool:
    return "approve" in rights and state in ("draft", "review")


def expected_publish(rights: set[str], state: str, four_eyes: bool) -> bool:
    if "publish" not in rights or state == "withdrawn":
        return False
    # With four eyes, a draft or an article in review is not approved yet.
    return not (four_eyes and state in ("draft", "review"))


@pytest.mark.parametrize("four_eyes", [False, True], ids=["zwei-augen", "vier-augen"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_approve_and_publish_for_every_role_state_and_four_eyes(
    people, settings, role, state, four_eyes
):
    settings.NEWSROOM_FOUR_EYES = four_eyes
    reporter = UserFactory(username="schreiberin")
    reporter.groups.add(Group.objects.get(name="Redakteur"))
    approver = user_in("Chef vom Dienst", "zweite-cvd")
    user, rights = people[role], ROLES[role]

    for action, service, expected in [
        ("approve", services.approve_article, expected_approve(rights, state)),
        (
            "publish",
            services.publish_article,
            expected_publish(rights, state, four_eyes),
        ),
    ]:
        article = article_in(state, author=reporter, approver=approver)
        check = services.may_approve if action == "approve" else services.may_publish
        allowed_before = check(user, article) and (
            action == "publish" or state in services.states_leading_to(Status.APPROVED)
        )
        if expected:
            service(article, by=user)
            article.refresh_from_db()
            assert article.status == (
                Status.APPROVED if action == "approve" else Status.PUBLISHED
            )
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                service(article, by=user)
            article.refresh_from_db()
            assert article.status == state
        # The check the buttons use says the same as the service did.
        assert allowed_before == expected, (action, role, state)


def test_with_four_eyes_the_last_author_cannot_approve_but_a_colleague_can(settings):
    settings.NEWSROOM_FOUR_EYES = True
    anna = user_in("Chef vom Dienst", "anna")
    ben = user_in("Chef vom Dienst", "ben")
    article = ArticleFactory(draft=True, created_by=anna)
    services.save_article(article, by=anna)
    services.record_revision(article, by=anna)
    assert not services.may_approve(anna, article)
    with pytest.raises(PermissionDenied, match="Vier-Augen-Prinzip"):
        services.approve_article(article, by=anna)
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        services.publish_article(article, by=anna)
    services.approve_article(article, by=ben)
    # The author may publish what a colleague approved.
    services.publish_article(article, by=anna)
    assert article.is_public()


def test_without_four_eyes_the_author_approves_and_publishes_alone():
    anna = user_in("Chef vom Dienst", "anna")
    article = ArticleFactory(draft=True, created_by=anna)
    services.record_revision(article, by=anna)
    services.approve_article(article, by=anna)
    services.publish_article(article, by=anna)
    assert article.is_public()


def test_with_four_eyes_changing_an_approved_text_needs_a_new_approval(settings):
    settings.NEWSROOM_FOUR_EYES = True
    reporter = user_in("Redakteur", "rita")
    anna = user_in("Chef vom Dienst", "anna")
    article = ArticleFactory(draft=True, created_by=reporter)
    services.record_revision(article, by=reporter)
    services.approve_article(article, by=anna)
    article.headline = "Von Anna nach der Freigabe geändert"
    services.save_article(article, by=anna)
    services.record_revision(article, by=anna)
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert article.transitions.first().comment.startswith("Nach der Freigabe geändert")
    with pytest.raises(ValidationError, match="Vier-Augen"):
        services.publish_article(article, by=anna)
    with pytest.raises(PermissionDenied, match="Vier-Augen"):
        services.approve_article(article, by=anna)  # she wrote the change
    services.approve_article(article, by=user_in("Chef vom Dienst", "ben"))
    services.publish_article(article, by=anna)
    assert article.is_public()


def test_the_system_is_not_held_to_four_eyes(settings):
    settings.NEWSROOM_FOUR_EYES = True
    article = ArticleFactory(draft=True)
    services.publish_article(article, by=None)  # agency imports
    assert article.is_public()


class TestSectionLimitedDesk:
    @pytest.fixture
    def sport(self):
        return SectionFactory(slug="sport", name="Sport")

    @pytest.fixture
    def politik(self):
        return SectionFactory(slug="politik", name="Politik")

    @pytest.fixture
    def sports_desk(self, sport):
        group = group_with(
            "Sport-Desk",
            "publish_article",
            "approve_article",
            "change_article",
            "view_article",
        )
        sport.desk_groups.add(group)
        return user_in(group, "sportchef")

    def test_a_sports_desk_publishes_sport_only(self, sports_desk, sport, politik):
        game = ArticleFactory(draft=True, section=sport)
        vote = ArticleFactory(draft=True, section=politik)
        assert services.may_publish(sports_desk, game)
        assert not services.may_publish(sports_desk, vote)
        services.publish_article(game, by=sports_desk)
        with pytest.raises(PermissionDenied, match="nicht in Ihren Ressorts"):
            services.publish_article(vote, by=sports_desk)
        with pytest.raises(PermissionDenied, match="nicht in Ihren Ressorts"):
            services.approve_article(vote, by=sports_desk)
        vote.refresh_from_db()
        assert vote.status == Status.DRAFT
        assert game.is_public()

    def test_every_desk_right_obeys_the_limit(self, sports_desk, politik):
        live = ArticleFactory(section=politik)
        for call in [
            lambda: services.withdraw_article(live, by=sports_desk, reason="x"),
            lambda: services.mark_article_updated(live, by=sports_desk),
            lambda: services.flag_breaking_news(live, by=sports_desk),
            lambda: services.add_correction(live, by=sports_desk, text="x"),
            lambda: services.unpublish_article(live, by=sports_desk),
            lambda: services.save_article(live, by=sports_desk),
        ]:
            with pytest.raises(PermissionDenied):
                call()
        in_review = ArticleFactory(draft=True, section=politik)
        services.submit_for_review(in_review, by=None)
        with pytest.raises(PermissionDenied):
            services.send_back(in_review, user=sports_desk, reason="Quelle fehlt")
        assert not services.may_edit(sports_desk, in_review)
        live.refresh_from_db()
        assert live.status == Status.PUBLISHED

    def test_moving_an_article_out_of_the_desks_sections_is_refused(
        self, sports_desk, sport, politik
    ):
        game = ArticleFactory(draft=True, section=sport)
        services.save_article(game, by=sports_desk)  # its own section: fine
        vote = ArticleFactory(draft=True, section=politik)
        vote.section = sport  # into sport, out of politik
        with pytest.raises(PermissionDenied):
            services.save_article(vote, by=sports_desk)

    def test_the_rule_judges_the_stored_section_not_a_stale_object(
        self, sports_desk, sport, politik
    ):
        game = ArticleFactory(draft=True, section=sport)
        Article.objects.filter(pk=game.pk).update(section=politik)
        with pytest.raises(PermissionDenied):
            services.publish_article(game, by=sports_desk)

    def test_a_limit_on_one_user_and_an_unlimited_desk(self, sport, politik):
        cvd = user_in("Chef vom Dienst", "cvd")
        assert services.desk_sections(cvd) is None
        limited = user_in("Chef vom Dienst", "volontaer")
        sport.desk_users.add(limited)
        assert services.desk_sections(limited) == {sport.pk}
        assert services.may_publish(cvd, ArticleFactory(draft=True, section=politik))


class TestSendBack:
    def test_the_reason_is_required_and_reaches_history_and_author(self):
        reporter = user_in("Redakteur", "rita")
        desk = user_in("Chef vom Dienst", "cvd")
        article = ArticleFactory(draft=True, created_by=reporter)
        services.submit_for_review(article, by=reporter)
        for empty in ["", "   ", "\x00\x07 "]:
            with pytest.raises(ValidationError, match="Grund"):
                services.send_back(article, user=desk, reason=empty)
        article.refresh_from_db()
        assert article.status == Status.REVIEW
        services.send_back(
            article, user=desk, reason="Quelle\x07 fehlt, bitte nachtragen"
        )
        article.refresh_from_db()
        assert article.status == Status.DRAFT
        assert article.assigned_to == reporter
        assert article.sent_back.comment == "Quelle fehlt, bitte nachtragen"
        assert article.sent_back.by == desk
        last = ArticleTransition.objects.filter(article=article).first()
        assert (last.from_status, last.to_status) == ("review", "draft")
        # Resubmitting settles it: no longer returned, no longer the reporter's.
        services.submit_for_review(article, by=reporter)
        article.refresh_from_db()
        assert article.sent_back is None and article.assigned_to is None

    def test_reporters_cannot_send_back(self):
        reporter = user_in("Redakteur", "rita")
        article = ArticleFactory(draft=True)
        services.submit_for_review(article, by=None)
        with pytest.raises(PermissionDenied):
            services.send_back(article, user=reporter, reason="Nein")

    @pytest.mark.parametrize("state", ["draft", "published", "withdrawn"])
    def test_only_articles_under_review_or_approved_go_back(self, state):
        desk = user_in("Chef vom Dienst", "cvd")
        article = article_in(state, author=None, approver=None)
        with pytest.raises(ValidationError, match="zurückgeben lässt sich nur"):
            services.send_back(article, user=desk, reason="Grund")

    def test_the_desk_returning_from_review_must_give_a_reason_on_every_path(self):
        desk = user_in("Chef vom Dienst", "cvd")
        article = ArticleFactory(draft=True)
        services.submit_for_review(article, by=None)
        with pytest.raises(ValidationError, match="Grund"):
            services.unpublish_article(article, by=desk)
        services.unpublish_article(article, by=desk, comment="Zu lang")
        article.refresh_from_db()
        assert article.sent_back.comment == "Zu lang"


class TestNotes:
    def test_a_note_mentions_colleagues_by_username(self):
        desk = user_in("Chef vom Dienst", "cvd")
        user_in("Redakteur", "rita.k")
        user_in("Redakteur", "ben")
        gone = UserFactory(username="alt", is_active=False)
        article = ArticleFactory(draft=True)
        note = services.add_note(
            article,
            user=desk,
            text="@rita.k bitte Zahlen prüfen. @alt @niemand @cvd info@ben.de",
        )
        assert set(note.mentions.values_list("user__username", flat=True)) == {"rita.k"}
        assert not NoteMention.objects.filter(user=gone).exists()

    def test_control_characters_are_removed_and_empty_notes_refused(self):
        desk = user_in("Chef vom Dienst", "cvd")
        article = ArticleFactory()
        note = services.add_note(article, user=desk, text="Zeile\x00 eins\x1b")
        assert ArticleNote.objects.get(pk=note.pk).text == "Zeile eins"
        with pytest.raises(ValidationError, match="leer"):
            services.add_note(article, user=desk, text="\x00 \x07")

    def test_too_long_notes_are_refused_with_the_limit(self, settings):
        settings.NEWSROOM_NOTE_MAX_LENGTH = 10
        desk = user_in("Chef vom Dienst", "cvd")
        with pytest.raises(ValidationError, match="11 Zeichen, erlaubt sind 10"):
            services.add_note(ArticleFactory(), user=desk, text="x" * 11)

    def test_who_may_add_a_note(self):
        rita = user_in("Redakteur", "rita")
        ads = user_in("Anzeigen", "anzeigen")
        own = ArticleFactory(draft=True, created_by=rita)
        services.submit_for_review(own, by=rita)
        # The author answers the desk on an own story under review.
        services.add_note(own, user=rita, text="Quelle ist nachgetragen.")
        others = ArticleFactory(draft=True)
        for user, article in [(rita, others), (ads, own)]:
            assert not services.may_add_note(user, article)
            with pytest.raises(PermissionDenied):
                services.add_note(article, user=user, text="Hallo")
        services.assign_article(others, user=None, to_user=rita)
        services.add_note(others, user=rita, text="Übernehme ich.")


class TestAssign:
    def test_assign_to_a_person_or_a_group(self):
        desk = user_in("Chef vom Dienst", "cvd")
        rita = user_in("Redakteur", "rita")
        article = ArticleFactory(draft=True)
        services.assign_article(article, user=desk, to_user=rita)
        article.refresh_from_db()
        assert article.assigned_to == rita
        group = Group.objects.get(name="Chef vom Dienst")
        services.assign_article(article, user=desk, to_group=group)
        article.refresh_from_db()
        assert (article.assigned_to, article.assigned_group) == (None, group)
        with pytest.raises(ValidationError, match="entweder"):
            services.assign_article(article, user=desk, to_user=rita, to_group=group)
        with pytest.raises(ValidationError, match="Redaktion"):
            services.assign_article(
                article, user=desk, to_user=UserFactory(username="x", is_active=False)
            )

    def test_reporters_assign_only_what_they_may_edit(self):
        rita = user_in("Redakteur", "rita")
        with pytest.raises(PermissionDenied):
            services.assign_article(ArticleFactory(), user=rita, to_user=rita)
