"""Web forms of the review pages. The rules themselves are in panels.py, assigning.py and
services.py; these read browser input and hand plain values to them."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import (BooleanField, FieldList, Form, FormField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import FlaskForm, MultiCheckboxField
from ..languages import language_choices
from ..regions import REGIONS, region_name
from ..vocabulary import N_, THEME_LABELS, Labels
from .models import COMMENT_MAX, REASON_MAX, LinkKind, Recommendation

RECOMMENDATION_LABELS = Labels({
    Recommendation.fund.value: N_("Fund"),
    Recommendation.fund_with_changes.value: N_("Fund with changes"),
    Recommendation.do_not_fund.value: N_("Do not fund"),
})
LINK_KIND_LABELS = Labels({LinkKind.employment.value: N_("Employment"), LinkKind.board.value: N_("Board seat"),
                           LinkKind.partnership.value: N_("Partnership"), LinkKind.other.value: N_("Other tie")})
ORGANISATION_NAME_MAX = 200


class DeclarationForm(FlaskForm):
    accept = BooleanField(_l("I have read the declaration and I accept it"),
                          validators=[DataRequired(_l("Tick the box to accept the declaration."))])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=REASON_MAX)])


class ReviewForm(FlaskForm):
    """The fields common to every call; review_form_for() adds a score and comment per criterion."""

    comment = TextAreaField(_l("Overall comment"), validators=[Optional(), Length(max=COMMENT_MAX)])
    recommendation = SelectField(_l("Recommendation"), validators=[Optional()])
    save_draft = SubmitField(_l("Save the draft"))
    submit_review = SubmitField(_l("Submit the review"))

    def criterion_fields(self, criterion):
        return self[f"score_{criterion.id}"], self[f"comment_{criterion.id}"]

    def values(self, call) -> tuple[dict[int, int], dict[int, str], str, str | None]:
        """What save_review takes: scores, comments per criterion, overall comment, recommendation."""
        scores, comments = {}, {}
        for criterion in call.criteria:
            score, comment = self.criterion_fields(criterion)
            # Every criterion is on the form: "Not scored" clears a draft's score.
            scores[criterion.id] = int(score.data) if score.data else None
            comments[criterion.id] = comment.data or ""
        return scores, comments, self.comment.data or "", self.recommendation.data or None


def review_form_for(call, review) -> ReviewForm:
    """A score (1..scale_max) and a comment per criterion of the call, filled from the draft.

    "Not scored" is always offered, so a draft's score can be taken back; a recommendation,
    once chosen, can be changed but not cleared.
    """
    saved = {s.criterion_id: s for s in review.scores} if review else {}
    fields, data = {}, {"comment": review.comment if review else ""}
    for criterion in call.criteria:
        row = saved.get(criterion.id)
        has_score = row is not None and row.score is not None
        choices = [("", _("Not scored"))] + [(str(n), str(n)) for n in range(1, call.scale_max + 1)]
        fields[f"score_{criterion.id}"] = SelectField(_("Score for %(criterion)s", criterion=criterion.name),
                                                      choices=choices, validators=[Optional()])
        fields[f"comment_{criterion.id}"] = TextAreaField(_("Comment on %(criterion)s", criterion=criterion.name),
                                                          validators=[Length(max=COMMENT_MAX)])
        data[f"score_{criterion.id}"] = str(row.score) if has_score else ""
        data[f"comment_{criterion.id}"] = row.comment if row else ""
    form = type("CallReviewForm", (ReviewForm,), fields)(data=data)
    recommended = review.recommendation.value if review and review.recommendation else ""
    form.recommendation.choices = ([] if recommended else [("", _("Not chosen yet"))]) + list(
        RECOMMENDATION_LABELS.items())
    if not form.is_submitted():
        form.recommendation.data = recommended
    return form


class LinkForm(Form):
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=ORGANISATION_NAME_MAX)])
    kind = SelectField(_l("Tie"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = list(LINK_KIND_LABELS.items())  # in the reader's language


class ReviewerProfileForm(FlaskForm):
    themes = MultiCheckboxField(_l("Themes of expertise"))
    regions = MultiCheckboxField(_l("Regions of expertise"))
    languages = SelectMultipleField(_l("Languages you review in (none chosen: English)"))
    links = FieldList(FormField(LinkForm), max_entries=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes.choices = list(THEME_LABELS.items())  # in the reader's language
        self.regions.choices = [(region, region_name(region)) for region in REGIONS]
        self.languages.choices = language_choices()  # named in the reader's language, the UN's six first

    def add_blank_links(self, count: int = 2) -> None:
        for _row in range(count):
            self.links.append_entry()

    def link_rows(self) -> list[tuple[int, str, str]]:
        """(row index, organisation name, kind) for each row with a name."""
        return [(i, entry.organisation.data.strip(), entry.kind.data)
                for i, entry in enumerate(self.links) if (entry.organisation.data or "").strip()]


class PanelForm(FlaskForm):
    reviewer_ids = MultiCheckboxField(_l("Reviewers on the panel"), coerce=int)


class AutoAssignForm(FlaskForm):
    reviewers_per_proposal = IntegerField(_l("Reviewers per proposal"),
                                          validators=[Optional(), NumberRange(min=1, max=20)])


class AssignForm(FlaskForm):
    # Required: a post without them would ask the service for the row with id None.
    proposal_id = SelectField(_l("Proposal"), coerce=int, validators=[InputRequired()])
    reviewer_id = SelectField(_l("Reviewer"), coerce=int, validators=[InputRequired()])
