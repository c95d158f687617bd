"""French: the browser's language is used when the person chose none, the user's choice wins."""

from __future__ import annotations

from tests.factories import MembershipFactory, UserFactory

NBSP = "\u00a0"


def test_login_page_in_french_for_a_french_browser(client, db):
    response = client.get("/login", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert "Se connecter" in html
    assert f"Mot de passe oublié{NBSP}?" in html


def test_login_page_stays_english_for_an_english_browser(client, db):
    html = client.get("/login", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="en"' in html
    assert "Forgot your password?" in html
    assert "Se connecter" not in html


def _owner_client(client, creator, *, language: str = ""):
    user = UserFactory(language=language)
    MembershipFactory(user=user, creator=creator, role="owner")
    client.force_login(user)
    session = client.session
    session["creator_id"] = creator.id
    session.save()
    return client


def test_home_in_french(client, creator_a):
    _owner_client(client, creator_a)

    html = client.get("/home", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="fr"' in html
    assert "Aucun revenu sur les 30 derniers jours pour l’instant." in html
    assert "Fans actifs" in html
    assert ">Accueil<" in html
    assert f"0,00{NBSP}$" in html  # amount then symbol, French decimal comma


def test_the_users_language_wins_over_the_browser(client, creator_a):
    _owner_client(client, creator_a, language="fr")

    html = client.get("/home", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Actions rapides" in html
