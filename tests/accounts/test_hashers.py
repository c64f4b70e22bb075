"""Passwords are hashed with Argon2id at OWASP's parameters; older PBKDF2 hashes still sign in and
are rewritten then. The suite's own settings use MD5 for speed, so these tests put back the
hashers every other run mode uses."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.urls import reverse

from accounts.models import User
from hub.settings import base
from tests import factories

PASSWORD = "correct-horse-battery"


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_owasp_parameters(real_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded)
    assert not check_password("wrong-horse-battery", encoded)


@pytest.mark.django_db
def test_a_pbkdf2_hash_signs_in_and_is_rewritten_as_argon2(client, real_hashers):
    user = factories.UserFactory()
    # Few iterations keep the test quick; the check and the rewrite are the same at 1,000,000.
    old = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    User.objects.filter(pk=user.pk).update(password=old)
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert check_password(PASSWORD, user.password)
