"""Staff users in a role (group), logged in, for the admin's tests."""

from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import UserFactory


def user_in(group: str, username: str, **names):
    user = UserFactory(username=username, **names)
    user.groups.add(Group.objects.get(name=group))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def client_in(group: str, username: str) -> Client:
    """A client logged in as a new user `username` in the role `group`."""
    return client_for(user_in(group, username))
