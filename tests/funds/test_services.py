"""The fund's services (DESIGN.md "Donor and Contribution", "Fund ledger"): receipts and
programme support costs, pledges, commitments and their attribution, roles, bad values."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from unscar.audit.models import AuditEvent
from unscar.errors import Conflict, InsufficientFunds, InvalidTransition, PermissionDenied, ValidationFailed
from unscar.extensions import db
from unscar.funds import services
from unscar.funds.models import ContributionStatus, EntryKind, LedgerEntry

D = Decimal
DAY = date(2026, 3, 2)


@pytest.fixture
def staff(app):
    return make_user("secretariat")


@pytest.fixture
def give(staff):
    """Record a contribution for a (new or given) donor; received in USD at rate 1 by default."""

    def give(amount, donor=None, currency="USD", rate="1", status="received", earmark=None):
        donor = donor or services.create_donor(staff, "Norway", "NOR")
        return services.record_contribution(staff, donor, D(amount), currency, D(rate), status, DAY, earmark)

    return give


def figures():
    return services.fund_figures()


def test_a_receipt_in_euros_counts_in_usd_less_programme_support_costs(give):
    contribution = give("100000.00", currency="EUR", rate="1.085")
    assert contribution.status is ContributionStatus.received and contribution.received_on == DAY
    f = figures()
    assert (f["received_usd"], f["psc_usd"], f["programmable_usd"]) == (D("108500.00"), D("14105.00"), D("94395.00"))
    assert f["available_usd"] == D("94395.00") and f["committed_usd"] == D("0.00")
    kinds = db.session.scalars(select(LedgerEntry.kind).order_by(LedgerEntry.id)).all()
    assert kinds == [EntryKind.received, EntryKind.psc]


def test_usd_values_and_psc_round_half_up_to_the_cent(give):
    give("12.50")  # psc 1.625 -> 1.63 (half-up, not half-even)
    give("333.33", currency="CHF", rate="1.234567")  # 411.518...: 411.52
    f = figures()
    assert f["received_usd"] == D("12.50") + D("411.52")
    assert f["psc_usd"] == D("1.63") + D("53.50")  # 411.52 x 0.13 = 53.4976
    assert f["programmable_usd"] == f["received_usd"] - f["psc_usd"]


def test_the_psc_rate_is_a_setting(make_app, tmp_path):
    app = make_app(PROGRAMME_SUPPORT_RATE=D("0.07"))
    with app.app_context():
        staff = make_user("secretariat")
        donor = services.create_donor(staff, "Sweden", "SWE")
        services.record_contribution(staff, donor, D("1000.00"), "USD", D("1"), "received", DAY)
        assert services.fund_figures()["psc_usd"] == D("70.00")
        db.session.rollback()


def test_a_pledge_counts_only_once_received_with_its_own_date_and_rate(give, staff):
    pledge = give("50000.00", currency="NOK", rate="0.095", status="pledged")
    assert pledge.pledged_on == DAY and pledge.received_on is None
    assert figures()["pledged_usd"] == D("4750.00") and figures()["received_usd"] == D("0.00")
    services.receive_contribution(staff, pledge, date(2026, 5, 4), D("0.0921"), amount=D("52000.00"))
    assert (pledge.status, pledge.received_on, pledge.amount) == (ContributionStatus.received, date(2026, 5, 4),
                                                                   D("52000.00"))
    f = figures()
    assert f["pledged_usd"] == D("0.00") and f["received_usd"] == D("4789.20")
    with pytest.raises(InvalidTransition, match="already been received"):
        services.receive_contribution(staff, pledge, DAY, D("0.1"))
    assert figures()["received_usd"] == D("4789.20")


def test_commitments_never_exceed_what_is_available(give, staff):
    give("1000.00")  # programmable 870.00
    with pytest.raises(InsufficientFunds, match="USD 870.00 available"):
        services.commit_funds(staff, 1, D("870.01"), [], DAY)
    services.commit_funds(staff, 1, D("870.00"), [], DAY)
    assert figures()["available_usd"] == D("0.00") and figures()["committed_usd"] == D("870.00")
    with pytest.raises(InsufficientFunds, match="USD 0.00 available"):
        services.commit_funds(staff, 2, D("0.01"), [], DAY)


def test_a_commitment_is_split_pro_rata_and_sums_exactly(give, staff):
    donors = [services.create_donor(staff, name, "NOR") for name in ("A", "B", "C")]
    for donor in donors:
        give("100.00", donor=donor, rate="1")  # 87.00 programmable each
    entries = services.commit_funds(staff, 7, D("100.00"), [], DAY)
    shares = sorted(entry.amount_usd for entry in entries)
    assert shares == [D("33.33"), D("33.33"), D("33.34")] and {e.grant_id for e in entries} == {7}
    assert sum(services.donor_summary(d)["grants"][0]["attributed_usd"] for d in donors) == D("100.00")


def test_earmarked_money_is_drawn_first_but_never_restricts_available(give, staff):
    plain = services.create_donor(staff, "Plain", "CHE")
    earmarked = services.create_donor(staff, "Earmarked", "NLD")
    give("1000.00", donor=plain)  # 870.00
    give("1000.00", donor=earmarked, earmark="theme:legislation")  # 870.00
    services.commit_funds(staff, 1, D("500.00"), ["theme:legislation", "region:Africa"], DAY)
    assert services.donor_summary(earmarked)["grants"] == [{"grant_id": 1, "attributed_usd": D("500.00")}]
    assert services.donor_summary(plain)["grants"] == []
    # Beyond the earmarked balance, the rest comes from every other balance.
    services.commit_funds(staff, 2, D("1000.00"), ["theme:legislation"], DAY)
    assert services.donor_summary(earmarked)["grants"][1] == {"grant_id": 2, "attributed_usd": D("370.00")}
    assert services.donor_summary(plain)["grants"] == [{"grant_id": 2, "attributed_usd": D("630.00")}]
    # An earmark for another theme does not keep money from a grant.
    assert services.available_usd() == D("240.00")
    services.commit_funds(staff, 3, D("240.00"), ["theme:reporting"], DAY)
    assert services.available_usd() == D("0.00")


def test_a_donors_attribution_never_moves_when_another_contributes(give, staff):
    first = services.create_donor(staff, "First", "NOR")
    give("1000.00", donor=first)
    services.commit_funds(staff, 1, D("400.00"), [], DAY)
    before = services.donor_summary(first)
    give("5000000.00")
    assert services.donor_summary(first)["grants"] == before["grants"] == [{"grant_id": 1,
                                                                          "attributed_usd": D("400.00")}]


def test_releases_refunds_disbursements_and_expenditure(give, staff):
    donor = services.create_donor(staff, "Norway", "NOR")
    give("1000.00", donor=donor)
    services.commit_funds(staff, 5, D("600.00"), [], DAY)
    with pytest.raises(Conflict, match="600.00 of this grant's commitment is left"):
        services.record_disbursement(staff, 5, D("600.01"), DAY)
    services.record_disbursement(staff, 5, D("400.00"), DAY)
    services.record_expenditure(make_user("applicant"), 5, D("350.00"), DAY)
    services.reverse_expenditure(staff, 5, D("50.00"), DAY)
    with pytest.raises(Conflict):
        services.release_commitment(staff, 5, D("200.01"), DAY)  # 200.00 undisbursed
    services.release_commitment(staff, 5, D("200.00"), DAY)
    with pytest.raises(Conflict):
        services.record_refund(staff, 5, D("400.01"), DAY)
    services.record_refund(staff, 5, D("100.00"), DAY)
    f = figures()
    assert (f["committed_usd"], f["disbursed_usd"], f["spent_usd"], f["refunded_usd"]) == (
        D("300.00"), D("400.00"), D("300.00"), D("100.00"))
    assert f["available_usd"] == D("870.00") - D("300.00")
    assert services.donor_summary(donor)["grants"] == [{"grant_id": 5, "attributed_usd": D("300.00")}]
    assert services.grant_figures(5) == {"committed_usd": D("300.00"), "disbursed_usd": D("400.00"),
                                         "spent_usd": D("300.00"), "refunded_usd": D("100.00")}


@pytest.mark.parametrize("role", ["donor", "admin", "applicant", "reviewer"])
def test_only_the_secretariat_writes_the_fund(app, give, role):
    give("1000.00")
    actor = make_user(role)
    donor = services.create_donor(make_user("secretariat"), "Japan", "JPN")
    attempts = [lambda: services.create_donor(actor, "Japan", "JPN"),
                lambda: services.record_contribution(actor, donor, D("1"), "USD", D("1"), "received", DAY),
                lambda: services.commit_funds(actor, 1, D("1"), [], DAY),
                lambda: services.record_disbursement(actor, 1, D("1"), DAY)]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()


@pytest.mark.parametrize("field, values", [
    ("amount", {"amount": D("-5")}), ("amount", {"amount": D("0")}), ("amount", {"amount": D("10.005")}),
    ("currency", {"currency": "ABC"}), ("currency", {"currency": "XAU"}), ("currency", {"currency": "EURO"}),
    ("usd_rate", {"rate": D("0")}), ("usd_rate", {"rate": D("-1.1")}), ("usd_rate", {"rate": D("1.0000001")}),
    ("earmark", {"earmark": "theme:unicorns"}), ("earmark", {"earmark": "region:Atlantis"}),
    ("earmark", {"earmark": "sector:legislation"}), ("status", {"status": "promised"}),
    ("amount", {"amount": D("999999999.99"), "rate": D("2")}),
])
def test_bad_contribution_values_are_refused_by_field(give, staff, field, values):
    donor = services.create_donor(staff, "Norway", "NOR")
    values = {"amount": D("100"), "currency": "EUR", "rate": D("1.1"), "status": "received", **values}
    with pytest.raises(ValidationFailed) as refused:
        services.record_contribution(staff, donor, values["amount"], values["currency"], values["rate"],
                                     values["status"], DAY, values.get("earmark"))
    assert field in refused.value.errors
    assert figures()["received_usd"] == D("0.00")


def test_bad_donors_and_ledger_amounts_are_refused(give, staff):
    with pytest.raises(ValidationFailed, match="country"):
        services.create_donor(staff, "Nowhere", "XXX")
    with pytest.raises(ValidationFailed):
        services.create_donor(staff, "   ", "NOR")
    give("1000.00")
    for amount in (D("0"), D("-1"), D("1.001")):
        with pytest.raises(ValidationFailed):
            services.commit_funds(staff, 1, amount, [], DAY)


def test_every_change_is_audited(give, staff):
    give("1000.00")
    services.commit_funds(staff, 3, D("10.00"), [], DAY)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["donor.created", "contribution.received", "fund.committed"]
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 3
