"""Who may use each route of the URL map: DESIGN.md's roles and visibility table, as data.

One entry per endpoint and method, pages and /api/v1 alike; a route added without an
entry fails test_every_route_has_an_entry. For each role an entry says one of:

- allowed: the role uses the route on any object it names (an unknown id: 404);
- own: only on its own side's objects (its organisation's, or its own assignment's, or
  itself); another's answer 404, so nobody learns that they exist;
- hidden: 404 even for its own side's object (see the entry's note);
- from_review: as allowed, but 404 on a call not yet in review;
- otherwise refused: 403 before anything is looked up (an unknown id too), and for an
  anonymous visitor the log-in page (pages) or 401 (API), unless `anonymous`.

Where DESIGN.md and API.md are silent, the note says what was decided and why.
"""
from dataclasses import dataclass

ROLES = ("applicant", "reviewer", "secretariat", "donor", "admin")
STAFF = ("secretariat", "admin")
READERS = (*STAFF, "donor")  # the fund, rankings, recommendations, grants (DESIGN.md's table)


@dataclass(frozen=True)
class Access:
    allowed: tuple = ()
    own: tuple = ()
    hidden: tuple = ()
    anonymous: bool = False
    # Roles that see it only for a call in review or later: an open call answers them 404
    # (DESIGN.md: donors see rankings and recommendations of calls in review or later).
    from_review: tuple = ()
    # A page route a script calls (an autosave): it answers problem+json like the API,
    # and an anonymous visitor 401, not the log-in page.
    json: bool = False
    note: str = ""


def public(note: str = "") -> Access:
    return Access(allowed=ROLES, anonymous=True, note=note)


def signed_in(note: str = "") -> Access:
    return Access(allowed=ROLES, note=note)


def only(*allowed: str, own=(), hidden=(), note: str = "") -> Access:
    return Access(allowed=allowed, own=tuple(own), hidden=tuple(hidden), note=note)


# Rankings and recommendations: staff always, donors once the call is in review.
RANKING = Access(allowed=READERS, from_review=("donor",))


def grantee(*allowed: str, note: str = "") -> Access:
    """Its organisation's applicants, and whoever else may read it everywhere."""
    return only(*allowed, own=("applicant",), note=note)


# A reviewer reaches a proposal only through its assignment (reviews/...): the
# applicant's own routes answer it 404 (SECURITY.md findings 1 and 12).
PROPOSAL_READERS = dict(own=("applicant",), hidden=("reviewer",))
SECRETARIAT = only("secretariat")  # staff writes: the admin manages users, not the fund's business

MATRIX: dict[str, Access] = {
    # --- accounts (pages) ------------------------------------------------------------
    "accounts.login GET": public("signed-in users are sent home"),
    "accounts.login POST": public(),
    "accounts.logout POST": public("signing out is harmless for anyone"),
    "accounts.set_language POST": public("a visitor's choice is kept in the session, a user's on the account"),
    "accounts.register GET": public(),
    "accounts.register POST": public(),
    "accounts.request_password_reset GET": public(),
    "accounts.request_password_reset POST": public(),
    "accounts.reset_password GET": public("the signed link is the credential"),
    "accounts.reset_password POST": public("the signed link is the credential"),
    "accounts.accept_invitation GET": public("the signed link is the credential"),
    "accounts.accept_invitation POST": public("the signed link is the credential"),
    "accounts.change_password GET": signed_in(),
    "accounts.change_password POST": signed_in(),
    "accounts.profile GET": signed_in(),
    "accounts.profile POST": signed_in(),
    "accounts.organisation GET": only("applicant", note="the user's own organisation; no id in the URL"),
    "accounts.organisation POST": only("applicant", note="the user's own organisation; no id in the URL"),
    "accounts.upload_document POST": only("applicant", note="to the user's own organisation"),
    "accounts.document GET": only(*STAFF, own=("applicant",), hidden=("reviewer", "donor"),
                                  note="registration documents: members and staff. DESIGN.md would have 403 for "
                                       "reviewers and donors; the page answers 404 like the other organisation "
                                       "files (no leak either way)"),
    "accounts.remove_member POST": only(own=("applicant",), note="another organisation's user: 404"),
    "accounts.create_user GET": only("admin"),
    "accounts.create_user POST": only("admin"),
    # --- admin -------------------------------------------------------------------------
    "admin.audit GET": only(*STAFF),
    "admin.outbox GET": only(*STAFF),
    "admin.users GET": only("admin"),
    "admin.user GET": only("admin"),
    "admin.change_roles POST": only("admin"),
    "admin.set_active POST": only("admin"),
    "admin.send_reset POST": only("admin"),
    # --- calls -------------------------------------------------------------------------
    "calls.index GET": public(),
    "calls.detail GET": public("calls that are not drafts"),
    "calls.download_template GET": public("a call's templates are part of the published call"),
    "calls.create GET": SECRETARIAT,
    "calls.create POST": SECRETARIAT,
    "calls.update GET": SECRETARIAT,
    "calls.update POST": SECRETARIAT,
    "calls.change_status POST": SECRETARIAT,
    "calls.add_template POST": SECRETARIAT,
    "calls.delete_template POST": SECRETARIAT,
    # --- proposals ---------------------------------------------------------------------
    "proposals.index GET": only("applicant", note="its organisation's proposals"),
    "proposals.create POST": only("applicant"),
    "proposals.under_review GET": only(*READERS, note="proposals awaiting the decision, scoped as GET /proposals"),
    "proposals.detail GET": only(*READERS, **PROPOSAL_READERS),
    "proposals.print_view GET": only(*READERS, **PROPOSAL_READERS),
    "proposals.attachment GET": only(*READERS, **PROPOSAL_READERS,
                                     note="donors see proposals under review in calls in review, files included"),
    "proposals.update GET": grantee(),
    "proposals.update POST": grantee(),
    "proposals.autosave.update POST": Access(own=("applicant",), json=True,
                                             note="the editor's autosave (js/autosave.js): JSON answers"),
    "proposals.budget GET": grantee(),
    "proposals.budget POST": grantee(),
    "proposals.attachments GET": grantee(),
    "proposals.attachments POST": grantee(),
    "proposals.delete_attachment POST": grantee(),
    "proposals.delete POST": grantee(),
    "proposals.submit POST": grantee(),
    "proposals.reopen POST": grantee(),
    "proposals.withdraw POST": grantee(),
    # --- screening ---------------------------------------------------------------------
    "screening.index GET": only(*STAFF),
    "screening.intake GET": only(*STAFF),
    "screening.intake_csv GET": only(*STAFF),
    "screening.proposal GET": only(*STAFF),
    "screening.organisation GET": only(*STAFF),
    "screening.screen POST": SECRETARIAT,
    "screening.ask POST": SECRETARIAT,
    "screening.verify POST": SECRETARIAT,
    "screening.withdraw_verification POST": SECRETARIAT,
    "screening.questions GET": only("applicant", note="its organisation's clarification requests"),
    "screening.answer GET": grantee(),
    "screening.answer POST": grantee(),
    # --- reviews -----------------------------------------------------------------------
    "reviews.index GET": only("reviewer", note="its own assignments"),
    "reviews.profile GET": only("reviewer"),
    "reviews.profile POST": only("reviewer"),
    "reviews.reviewer_profile GET": only(*STAFF, own=("reviewer",), note="a reviewer reads and edits only its own"),
    "reviews.reviewer_profile POST": only(*STAFF, own=("reviewer",), note="as the API's PUT /reviewers/{id}/profile"),
    "reviews.declaration GET": only("reviewer"),
    "reviews.declaration POST": only("reviewer"),
    "reviews.detail GET": only(own=("reviewer",)),
    "reviews.detail POST": only(own=("reviewer",)),
    "reviews.attachment GET": only(own=("reviewer",)),
    "reviews.conflict POST": only(own=("reviewer",)),
    "reviews.decline POST": only(own=("reviewer",)),
    "reviews.panel GET": only(*STAFF),
    "reviews.set_panel POST": SECRETARIAT,
    "reviews.assignments GET": only(*STAFF),
    "reviews.assign POST": SECRETARIAT,
    "reviews.auto_assign POST": SECRETARIAT,
    "reviews.return_review POST": SECRETARIAT,
    "reviews.remove_assignment POST": SECRETARIAT,
    # --- decisions ---------------------------------------------------------------------
    "decisions.ranking GET": RANKING,
    "decisions.ranking_chart GET": RANKING,
    "decisions.recommendation GET": RANKING,
    "decisions.recommendation POST": SECRETARIAT,
    "decisions.adopt_recommendation POST": SECRETARIAT,
    "decisions.endorse POST": only("donor"),
    "decisions.decisions GET": RANKING,
    "decisions.decide POST": SECRETARIAT,
    # --- funds -------------------------------------------------------------------------
    "funds.index GET": only(*READERS),
    "funds.flows_chart GET": only(*READERS),
    "funds.donors GET": only(*READERS),
    "funds.donors_chart GET": only(*READERS),
    "funds.donor GET": only(*READERS, note="every donor's record: the donors' group is one table"),
    # --- grants ------------------------------------------------------------------------
    "grants.index GET": only("applicant", *READERS, note="an applicant's list holds its organisation's grants"),
    "grants.work GET": only(*STAFF),
    "grants.detail GET": grantee(*READERS),
    "grants.budget_chart GET": grantee(*READERS),
    "grants.schedule POST": SECRETARIAT,
    "grants.disbursement POST": SECRETARIAT,
    "grants.suspension POST": SECRETARIAT,
    "grants.close POST": SECRETARIAT,
    "grants.file_financial GET": grantee(),
    "grants.file_financial POST": grantee(),
    "grants.file_narrative GET": grantee(),
    "grants.file_narrative POST": grantee(),
    "grants.report GET": grantee(*READERS),
    "grants.report_file GET": grantee(*READERS),
    "grants.correct GET": grantee(),
    "grants.correct POST": grantee(),
    "grants.add_file POST": grantee(),
    "grants.review POST": SECRETARIAT,
    "grants.request_revision GET": grantee(),
    "grants.request_revision POST": grantee(),
    "grants.revision GET": grantee(*STAFF, note="as GET /revisions: no donors"),
    "grants.decide_revision POST": SECRETARIAT,
    # --- portfolio and home: public ------------------------------------------------------
    "home.index GET": public(),
    "portfolio.index GET": public("funded projects only"),
    "portfolio.projects GET": public("funded projects only"),
    "portfolio.project GET": public("funded projects only"),
    "portfolio.years_chart GET": public(),
    "portfolio.breakdown_chart GET": public(),
    "static GET": public(),
    # --- API: accounts -------------------------------------------------------------------
    "api.register POST": public(),
    "api.create_token POST": public(),
    "api.password_reset POST": public(),
    "api.openapi_document GET": public(),
    "api.revoke_current_token DELETE": signed_in(),
    "api.me GET": signed_in(),
    "api.update_me PATCH": signed_in(),
    "api.invite_member POST": grantee(),
    "api.remove_member DELETE": grantee(),
    "api.create_user POST": only("admin"),
    "api.list_users GET": only("admin"),
    "api.update_user PATCH": only("admin"),
    "api.admin_password_reset POST": only("admin"),
    # --- API: calls ----------------------------------------------------------------------
    "api.list_calls GET": public(),
    "api.get_call GET": public(),
    "api.download_call_template GET": public(),
    "api.create_call POST": SECRETARIAT,
    "api.update_call PATCH": SECRETARIAT,
    "api.change_call_status POST": SECRETARIAT,
    "api.add_call_template POST": SECRETARIAT,
    "api.delete_call_template DELETE": SECRETARIAT,
    # --- API: proposals ------------------------------------------------------------------
    "api.list_proposals GET": signed_in("each role's list is scoped by the visibility table"),
    "api.get_proposal GET": only(*READERS, own=("applicant", "reviewer"),
                                 note="a reviewer: the proposal of its active assignment"),
    "api.create_proposal POST": only("applicant"),
    "api.update_proposal PATCH": grantee(),
    "api.delete_proposal DELETE": grantee(),
    "api.replace_budget PUT": grantee(),
    "api.add_attachment POST": grantee(),
    "api.delete_attachment DELETE": grantee(),
    "api.download_attachment GET": only(*READERS, own=("applicant", "reviewer")),
    "api.proposal_checks GET": grantee(*STAFF),
    "api.submit_proposal POST": grantee(),
    "api.reopen_proposal POST": grantee(),
    "api.withdraw_proposal POST": grantee(),
    "api.screen_proposal POST": SECRETARIAT,
    "api.ask_clarification POST": SECRETARIAT,
    "api.answer_clarification POST": grantee(),
    "api.add_clarification_file POST": grantee(),
    # --- API: review and decision --------------------------------------------------------
    "api.save_profile PUT": only(*STAFF, own=("reviewer",)),
    "api.set_panel PUT": SECRETARIAT,
    "api.sign_declaration POST": only("reviewer"),
    "api.create_assignment POST": SECRETARIAT,
    "api.auto_assign POST": SECRETARIAT,
    "api.list_assignments GET": only("reviewer", note="its own assignments"),
    "api.declare_conflict POST": only(own=("reviewer",)),
    "api.decline_assignment POST": only(own=("reviewer",)),
    "api.save_review PUT": only(own=("reviewer",)),
    "api.return_review POST": SECRETARIAT,
    "api.remove_assignment POST": SECRETARIAT,
    "api.call_ranking GET": RANKING,
    "api.make_recommendation POST": SECRETARIAT,
    "api.latest_recommendation GET": RANKING,
    "api.adopt_recommendation POST": SECRETARIAT,
    "api.endorse_recommendation POST": only("donor"),
    "api.record_decision POST": SECRETARIAT,
    # --- API: the fund -------------------------------------------------------------------
    "api.create_donor POST": SECRETARIAT,
    "api.create_contribution POST": SECRETARIAT,
    "api.receive_contribution POST": SECRETARIAT,
    "api.list_donors GET": only(*READERS),
    "api.get_donor GET": only(*READERS),
    "api.list_contributions GET": only(*READERS),
    "api.get_fund GET": only(*READERS),
    # --- API: grants ---------------------------------------------------------------------
    "api.list_grants GET": only("applicant", *READERS, note="reviewers: 403 (API.md)"),
    "api.get_grant GET": grantee(*READERS),
    "api.put_tranches PUT": SECRETARIAT,
    "api.create_disbursement POST": SECRETARIAT,
    "api.post_grant_status POST": SECRETARIAT,
    "api.file_financial_report POST": grantee(),
    "api.file_narrative_report POST": grantee(),
    "api.review_report POST": SECRETARIAT,
    "api.correct_report PUT": grantee(),
    "api.add_report_attachment POST": grantee(),
    "api.list_reports GET": only("applicant", *READERS),
    "api.list_revisions GET": only("applicant", *STAFF),
    "api.request_revision POST": grantee(),
    "api.decide_revision POST": SECRETARIAT,
    "api.post_close POST": SECRETARIAT,
    # --- API: portfolio ------------------------------------------------------------------
    "api.get_portfolio GET": public("funded projects only"),
    "api.list_portfolio_projects GET": public("funded projects only"),
    "api.get_portfolio_project GET": public("funded projects only"),
    "api.export_portfolio_csv GET": public(),
    "api.export_portfolio_xlsx GET": public(),
    "api.export_portfolio_iati GET": public(),
    "api.export_portfolio_360giving GET": public(),
    "api.import_portfolio_history POST": SECRETARIAT,
}
