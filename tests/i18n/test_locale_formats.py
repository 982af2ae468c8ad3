"""Dates, numbers and money in the reader's language on pages; web forms read an amount as
the reader's language writes it or in the plain form; the API takes the plain form only."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from flask_babel import force_locale

from unscar.forms import FlaskForm, MoneyInputField
from unscar.money import MoneyError, group_money, parse_money
from unscar.templating import format_datetime, time_left


class AmountForm(FlaskForm):
    class Meta:
        csrf = False

    amount = MoneyInputField("Amount")


@pytest.mark.parametrize("language, typed, amount", [
    ("fr", "1 500,50", "1500.50"), ("fr", "1\u202f500,50", "1500.50"), ("fr", "1500.50", "1500.50"),
    ("es", "1.500,50", "1500.50"), ("es", "1500.50", "1500.50"), ("ru", "1 500,5", "1500.50"),
    ("en", "1,500.50", "1500.50"), ("en", "4 500", "4500.00"), ("ar", "1,500.50", "1500.50"),
    ("zh", "1500", "1500.00"), ("ar", "١٥٠٠", "1500.00"),  # Arabic-Indic digits, as an Arabic keyboard types them
])
def test_a_web_form_reads_the_readers_way_of_writing_an_amount(app, language, typed, amount):
    with app.test_request_context("/", method="POST", data={"amount": typed}), force_locale(language):
        form = AmountForm()
        assert form.validate(), form.errors
        assert form.amount.data == Decimal(amount)
        # Shown back as the reader's language writes it, which the field reads again.
        assert AmountForm(formdata=None, data={"amount": form.amount.data}).amount._value() == group_money(form.amount.data)


@pytest.mark.parametrize("language, typed", [("fr", "1.500,50"), ("en", "1,5"), ("fr", "1,505"), ("fr", "12 abc"), ("en", "1e5")])
def test_what_is_no_amount_in_the_readers_language_is_refused_with_a_message(app, language, typed):
    with app.test_request_context("/", method="POST", data={"amount": typed}), force_locale(language):
        form = AmountForm()
        assert not form.validate() and form.amount.errors


def test_the_api_takes_the_plain_form_only():
    assert parse_money("1500.50") == Decimal("1500.50")
    for typed in ("1 500,50", "1,500.50", "1.500,50"):
        with pytest.raises(MoneyError):
            parse_money(typed)


def test_pages_write_money_dates_and_counts_in_the_readers_language(app):
    moment = datetime(2026, 3, 5, 9, 30, tzinfo=timezone.utc)
    with app.test_request_context("/"):
        expected = {"en": ("150,000.00", "05 Mar 2026 09:30 UTC"), "fr": ("150\u202f000,00", "5 mars 2026 09:30 UTC"),
                    "es": ("150.000,00", "5 mar 2026 09:30 UTC"), "ru": ("150\u00a0000,00", "5 мар. 2026\u202fг. 09:30 UTC"),
                    "zh": ("150,000.00", "2026年3月5日 09:30 UTC"), "ar": ("150,000.00", "5 مارس 2026 09:30 UTC")}
        for language, (money, moment_text) in expected.items():
            with force_locale(language):
                assert group_money(Decimal("150000")) == money, language
                assert format_datetime(moment) == moment_text, language
        with force_locale("ru"):
            # Russian has three plural forms; the catalogue's "%(num)d days left" takes the right one.
            assert time_left(datetime(2026, 3, 10, tzinfo=timezone.utc), datetime(2026, 3, 5, tzinfo=timezone.utc))
