"""The profile's time-zone list: places people live, labelled and grouped by region, not
zoneinfo's 599 names; a zone saved before stays valid."""
import re

from tests.factories import make_user
from tests.helpers import post_form, web_login
from unscar.extensions import db


def _options(page: str) -> list[str]:
    start = page.index('name="timezone"')
    select = page[start:page.index('</select>', start)]
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


def test_the_list_is_grouped_by_region_with_one_zone_per_place(client):
    user = make_user("donor")
    web_login(client, user.email)
    page = client.get("/profile").get_data(as_text=True)
    zones = _options(page)
    assert len(zones) < 450  # zone.tab's places, not the 599 names with their aliases
    groups = re.findall(r'<optgroup label="([^"]+)"', page)
    assert {"Africa", "Americas", "Asia", "Europe", "Pacific Ocean"} <= set(groups)
    assert '<option value="Africa/Nairobi">Nairobi (Kenya)</option>' in page
    assert "Asia/Kolkata" in zones and "Asia/Calcutta" not in zones  # no backward-compatible alias
    assert "US/Eastern" not in zones and "Etc/GMT+3" not in zones and "UTC" in zones and "" in zones
    africa = page[page.index('<optgroup label="Africa"'):]
    africa = africa[:africa.index("</optgroup>")]
    labels = re.findall(r">([^<]+)</option>", africa)
    assert labels == sorted(labels)


def test_a_zone_is_saved_and_an_older_alias_stays_valid(client):
    user = make_user("donor", timezone="Asia/Calcutta")
    web_login(client, user.email)
    page = client.get("/profile").get_data(as_text=True)
    assert '<option selected value="Asia/Calcutta">' in page or 'value="Asia/Calcutta" selected' in page
    kept = post_form(client, "/profile", {"name": user.name, "timezone": "Asia/Calcutta"}, page="/profile")
    assert kept.status_code == 302
    db.session.refresh(user)
    assert user.timezone == "Asia/Calcutta"
    moved = post_form(client, "/profile", {"name": user.name, "timezone": "Africa/Nairobi"}, page="/profile")
    assert moved.status_code == 302
    db.session.refresh(user)
    assert user.timezone == "Africa/Nairobi"
    refused = post_form(client, "/profile", {"name": user.name, "timezone": "Mars/Olympus"}, page="/profile")
    assert refused.status_code != 302
    db.session.refresh(user)
    assert user.timezone == "Africa/Nairobi"
