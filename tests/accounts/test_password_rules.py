"""Password rules of issue 15 point 1: no repeated characters, none of the last five
passwords, no common password (Django's list offline and Indonesian favourites)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from lindung.accounts.models import PasswordHistory
from tests.conftest import PASSWORD, client_for


def refusal(password: str, user=None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa1A!", "4 kali berturut-turut"),
        ("Tulungagung#1111", "4 kali berturut-turut"),
        ("Aa1!Aa1!Aa1!Aa1!", "paling sedikit 6 karakter yang berbeda"),
        ("Pe#5gz29ptzmse", "terlalu umum"),  # in Django's list of 20,000, compared lower-case
        ("Bismillah#2025", "terlalu umum"),
        ("Indonesia@1945", "terlalu umum"),
    ],
    ids=["run-of-a", "run-of-1", "four-distinct", "django-list", "bismillah", "indonesia"],
)
def test_a_weak_password_is_refused_in_indonesian(password, message):
    assert message in refusal(password)


@pytest.mark.parametrize("password", ["Lindung#Demo2025", "Kali#Brantas2000", "Rahasia#Uji2025"])
def test_ordinary_strong_passwords_pass(password):
    assert refusal(password) == ""


def change(client, old: str, new: str):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_none_of_the_last_five_passwords_may_come_back(operator):
    client = client_for(operator)
    newer = [f"Baru#Sandi{year}x" for year in range(2026, 2031)]

    again = change(client, PASSWORD, PASSWORD)
    current = PASSWORD
    for password in newer[:4]:
        assert change(client, current, password).status_code == 302
        current = password
    # PASSWORD is now the fifth-last: still refused.
    fifth_last = change(client, current, PASSWORD)
    assert change(client, current, newer[4]).status_code == 302
    # Now it is the sixth-last: allowed again.
    sixth_last = change(client, newer[4], PASSWORD)

    assert "pernah Anda pakai" in again.content.decode()
    assert "pernah Anda pakai" in fifth_last.content.decode()
    assert sixth_last.status_code == 302
    assert PasswordHistory.objects.filter(user=operator).count() == 5
    stored = PasswordHistory.objects.filter(user=operator).values_list("password", flat=True)
    assert not any(password in stored for password in [PASSWORD, *newer])  # hashes only


def test_an_admin_cannot_set_a_repeated_character_password(admin):
    response = client_for(admin).post(
        reverse("accounts:user_create"),
        {"username": "dina", "password": "aaaaaaaaaaaa1A!", "role": "verifier"},
    )

    assert response.status_code == 200
    assert "4 kali berturut-turut" in response.content.decode()
