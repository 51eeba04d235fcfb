import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.org.models import LoginEvent, User
from luoshi.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("abc12", "至少"),  # too short
        ("abcdefghij", "同时包含字母和数字"),
        ("1234567890", "同时包含字母和数字"),
        ("password1", "太常见"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, words):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, User(username="someone"))
    assert any(words in message for message in caught.value.messages), caught.value.messages


def test_a_password_of_letters_and_digits_passes():
    validate_password("Qingfeng2026", User(username="someone"))


def test_a_user_whose_password_was_set_by_someone_else_must_change_it_first(client, personas):
    User.objects.filter(pk=personas.liaison.pk).update(must_change_password=True)
    client.post(reverse("login"), {"username": "charlie", "password": PASSWORD})
    response = client.get(reverse("org:directory"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "您的密码是别人设置的" in page

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xinmima2027", "new_password2": "Xinmima2027"},
    )
    assert response.status_code == 302
    personas.liaison.refresh_from_db()
    assert not personas.liaison.must_change_password
    assert personas.liaison.check_password("Xinmima2027")
    assert client.get(reverse("org:directory")).status_code == 200
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.PASSWORD, user=personas.liaison).exists()


def test_a_weak_new_password_is_refused_with_the_reason(client, personas):
    client.force_login(personas.liaison)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefghij", "new_password2": "abcdefghij"},
    )
    assert response.status_code == 200
    assert "同时包含字母和数字" in response.content.decode()
    personas.liaison.refresh_from_db()
    assert personas.liaison.check_password(PASSWORD)


def test_passwords_are_hashed_with_argon2id_and_an_old_pbkdf2_hash_is_upgraded_at_login(client, personas, settings):
    from django.contrib.auth.hashers import make_password

    from luoshi import settings as project_settings

    # conftest swaps in MD5 for speed: put back what the project's settings say.
    assert project_settings.PASSWORD_HASHERS[0] == "luoshi.org.passwords.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=personas.liaison.pk).update(password=old)

    assert client.post("/login/", {"username": "charlie", "password": PASSWORD}).status_code == 302

    upgraded = User.objects.get(pk=personas.liaison.pk).password
    assert upgraded.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert User.objects.get(pk=personas.liaison.pk).check_password(PASSWORD)
