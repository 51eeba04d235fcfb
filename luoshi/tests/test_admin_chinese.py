"""The admin in Chinese throughout (#13 §5, §6): every form field of every admin page has a Chinese label,
and no help text is in English."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

# Words a Chinese page may keep in Latin letters: names of things, not English sentences.
ALLOWED = {"API", "Webhook", "LDAP", "SEC", "SHA", "Excel", "WPS", "SMTP", "URL", "https", "iCal", "Mac", "Control",
           "Command", "IMAP", "HTTP", "JSON", "ID"}  # fmt: skip
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH.findall(re.sub(r"<[^>]+>", "", str(text))) if word not in ALLOWED]


def test_every_admin_form_field_is_labelled_and_explained_in_chinese(personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    found = []
    for model, model_admin in admin.site._registry.items():
        for obj in (None, model()):
            form = model_admin.get_form(request, obj, change=obj is not None)
            for name, field in form.base_fields.items():
                if _english(field.label or "") or _english(field.help_text or ""):
                    found.append(f"{model._meta.label}.{name}: {field.label} / {field.help_text}")
    assert not found, "\n".join(found)


def test_the_add_user_page_is_in_chinese(client, personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    html = client.get("/admin/org/user/add/").content.decode()
    help_texts = re.findall(r'<div class="help"[^>]*>(.*?)</div>', html, flags=re.S)
    assert help_texts
    assert not [text for text in help_texts if _english(text)], help_texts
