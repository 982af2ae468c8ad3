"""A call's ranking (raw and calibrated scores side by side, a chart of each proposal's
reviews) and its funding recommendation: computing, explaining and adopting it.

Donors see these pages with the published figures only: never a reviewer's name, a draft
or a review's text. Each review's own figures are for staff, numbered without names. The
ranking page's query count does not grow with the number of proposals (scoring loads in
bulk; tests/test_ranking_pages.py counts the statements).
"""
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from ..charts import chart_response, version_key
from ..errors import DomainError
from ..extensions import db
from ..forms import show_domain_error
from ..money import group_money
from ..permissions import role_required
from ..regions import region_name
from ..roles import RANKING_ROLES
from ..vocabulary import THEME_LABELS
from . import charts, services
from .forms import OBJECTIVE_LABELS, RecommendationForm
from . import decision_views  # noqa: F401  (registers the decision pages)
from .blueprint import bp
from .permissions import can_view_review_scores
from .queries import get_ranked_call_or_404, get_recommendation_or_404
from .ranking import publish
from .recommendation import explanation_for_reader


# Column → sort key; the rank sorts unranked proposals last, as the ranking does.
SORT_KEYS = {
    "rank": lambda r: r["rank"], "reference": lambda r: r["reference"], "title": lambda r: r["title"].lower(),
    "requested": lambda r: r["requested_usd"], "reviews": lambda r: r["n_reviews"],
    "weighted": lambda r: r["weighted_mean"], "normalised": lambda r: r["normalised_score"],
    "spread": lambda r: r["spread"], "missing": lambda r: r["missing_reviews"],
}


def ranking_rows(call) -> list[dict]:
    """The ranking best first, each row with its proposal's title, request and status."""
    rows, proposals = services.call_ranking(call)
    return [{**row.__dict__, "title": proposals[row.proposal_id].title,
             "requested_usd": proposals[row.proposal_id].requested_usd,
             "status": proposals[row.proposal_id].status} for row in rows]


def sorted_rows(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    """Rows without a value (unreviewed proposals) stay last either way."""
    key = SORT_KEYS[sort]
    present = sorted((r for r in rows if key(r) is not None), key=key, reverse=descending)
    return present + [r for r in rows if key(r) is None]


def review_figures(call, references: dict) -> list[dict]:
    """Per proposal, each review's raw and calibrated score as "Review 1, 2, ..."; no names."""
    by_proposal = {}
    for score in services.review_scores(call):
        if score.proposal_id in references:
            by_proposal.setdefault(score.proposal_id, []).append(score)
    return [{"reference": references[pid], "reviews": [
        {"number": n, "weighted": publish(s.weighted), "calibrated": publish(s.calibrated)}
        for n, s in enumerate(scores, start=1)]} for pid, scores in by_proposal.items()]


@bp.get("/calls/<int:call_id>/ranking")
@role_required(*RANKING_ROLES)
def ranking(call_id):
    call = get_ranked_call_or_404(current_user, call_id)
    rows = ranking_rows(call)
    sort = request.args.get("sort") if request.args.get("sort") in SORT_KEYS else "rank"
    descending = request.args.get("dir") == "desc"
    references = {r["proposal_id"]: r["reference"] for r in rows}
    figures = review_figures(call, references) if can_view_review_scores(current_user) else []
    order = {r["reference"]: i for i, r in enumerate(rows)}
    figures.sort(key=lambda f: order[f["reference"]])
    return render_template("decisions/ranking.html", call=call, rows=sorted_rows(rows, sort, descending),
                           sort=sort, descending=descending, figures=figures)


@bp.get("/calls/<int:call_id>/ranking.png")
@role_required(*RANKING_ROLES)
def ranking_chart(call_id):
    call = get_ranked_call_or_404(current_user, call_id)
    rows, proposals = services.call_ranking(call)
    references = {pid: p.reference for pid, p in proposals.items()}
    scores = [s for s in services.review_scores(call) if s.proposal_id in references]
    frame = charts.review_scores_frame(scores, references)
    order = [r.reference for r in rows if r.rank is not None]
    # Drawn once per version of the scores, the order, the scale and the language of its
    # labels; a review submitted, returned or voided changes the frame and so the key.
    return chart_response("ranking-scores-2", version_key(frame, order, call.scale_max),
                          lambda: charts.scores_chart(frame, order, call.scale_max))


@bp.route("/calls/<int:call_id>/recommendation", methods=["GET", "POST"])
@role_required(*RANKING_ROLES)
def recommendation(call_id):
    if request.method == "POST" and not current_user.has_role("secretariat"):
        abort(403)  # donors and admins read it; the secretariat computes
    call = get_ranked_call_or_404(current_user, call_id)
    form = RecommendationForm(data={"envelope_usd": call.envelope_usd})
    status = 200
    if form.validate_on_submit():
        try:
            services.make_recommendation(current_user, call, form.envelope_usd.data, form.objective.data,
                                        form.min_score.data, form.min_share())
        except DomainError as error:
            db.session.rollback()
            _show_errors(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("The recommendation is computed. Nothing changes until it is adopted."), "success")
            return redirect(url_for("decisions.recommendation", call_id=call.id))
    elif form.is_submitted():
        status = 422
    return render_template("decisions/recommendation.html", call=call, form=form,
                           **recommendation_view(call)), status


def _show_errors(form, error: DomainError) -> None:
    """The service's message on top, and each of its field errors on its field."""
    flash(error.detail, "danger")
    for path, messages in (error.errors or {}).items():
        if not path.startswith("min_share."):
            continue  # the form's own fields: show_domain_error below (once)
        field = form.share_field(path)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
    show_domain_error(form, error, {"envelope_usd": "envelope_usd"})


def recommendation_view(call) -> dict:
    """The latest recommendation with each proposal's reference, title, request, score and status."""
    stored = services.latest_recommendation(call)
    if stored is None:
        return {"stored": None}
    by_id = {r["proposal_id"]: r for r in ranking_rows(call)}
    objective, cap = stored.result["objective"], group_money(stored.result["cap_usd"])
    selected = [by_id[pid] for pid in stored.result["selected"] if pid in by_id]
    explanation = explanation_for_reader(stored.result["explanation"])
    left_out = [{**by_id[lo["proposal_id"]], "reason": lo["reason"]}
                for lo in explanation["left_out"] if lo["proposal_id"] in by_id]
    return {"stored": stored, "selected": selected, "left_out": left_out, "objective": objective,
            "explanation_text": explanation["text"],
            "adoption_refusal": services.adoption_refusal(stored),
            "total_usd": Decimal(stored.result["total_usd"]), "cap_usd": Decimal(stored.result["cap_usd"]),
            "objective_label": OBJECTIVE_LABELS.get(objective, objective),
            "binding": [binding_in_words(b, stored.parameters, cap)
                        for b in stored.result["explanation"]["binding"]],
            "shares": [(share_label(k), Decimal(v) * 100) for k, v in stored.result["shares"].items()]}


def share_label(key: str) -> str:
    kind, _sep, name = key.partition(":")
    if kind == "region":
        return _("the region %(region)s", region=region_name(name))
    return _("the theme %(theme)s", theme=THEME_LABELS.get(name, name))


def binding_in_words(name: str, parameters: dict, cap: str) -> str:
    """A binding constraint of the explanation ("cap", "min_share.region:Africa") in words;
    `cap` as the page writes it ("200,000.00"), the parameters as stored ("200000.00")."""
    if name == "cap":
        if group_money(parameters.get("available_usd")) == cap and group_money(parameters.get("envelope_usd")) != cap:
            return _("The cap of USD %(cap)s (the fund's available balance): adding a left-out proposal would "
                     "exceed it.", cap=cap)
        return _("The cap of USD %(cap)s (the envelope): adding a left-out proposal would exceed it.", cap=cap)
    if name == "min_score":
        return _("The minimum score of %(score)s.", score=parameters["min_score"])
    key = name.removeprefix("min_share.")
    share = f"{(Decimal(str(parameters['min_share'].get(key, 0))) * 100).normalize():f}"
    return _("The minimum share of %(share)s%% for %(label)s.", share=share, label=share_label(key))


@bp.post("/calls/<int:call_id>/recommendation/<int:rec_id>/adopt")
@role_required("secretariat")
def adopt_recommendation(call_id, rec_id):
    call = get_ranked_call_or_404(current_user, call_id)
    stored = get_recommendation_or_404(call, rec_id)
    try:
        proposals = services.adopt_recommendation(current_user, stored)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        db.session.commit()
        chosen = len(stored.result["selected"])
        flash(ngettext("The recommendation is adopted: %(num)d proposal recommended, %(others)d not recommended.",
                       "The recommendation is adopted: %(num)d proposals recommended, %(others)d not recommended.",
                       chosen, others=len(proposals) - chosen), "success")
    return redirect(url_for("decisions.recommendation", call_id=call.id))
