"""Web forms of the review pages. The rules themselves are in panels.py, assigning.py and
services.py; these read browser input and hand plain values to them."""
import pycountry
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import FlaskForm
from ..regions import REGIONS
from ..vocabulary import THEME_LABELS
from .models import COMMENT_MAX, REASON_MAX, LinkKind, Recommendation
from .recommendation import OBJECTIVES

RECOMMENDATION_LABELS = {
    Recommendation.fund.value: "Fund",
    Recommendation.fund_with_changes.value: "Fund with changes",
    Recommendation.do_not_fund.value: "Do not fund",
}
LINK_KIND_LABELS = {LinkKind.employment.value: "Employment", LinkKind.board.value: "Board seat",
                    LinkKind.partnership.value: "Partnership", LinkKind.other.value: "Other tie"}
ORGANISATION_NAME_MAX = 200


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def language_choices() -> list[tuple[str, str]]:
    return sorted(((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")),
                  key=lambda item: item[1])


class DeclarationForm(FlaskForm):
    accept = BooleanField("I have read the declaration and I accept it",
                          validators=[DataRequired("Tick the box to accept the declaration.")])


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason."), Length(max=REASON_MAX)])


class ReviewForm(FlaskForm):
    """The fields common to every call; review_form_for() adds a score and comment per criterion."""

    comment = TextAreaField("Overall comment", validators=[Optional(), Length(max=COMMENT_MAX)])
    recommendation = SelectField("Recommendation", validators=[Optional()])
    save_draft = SubmitField("Save the draft")
    submit_review = SubmitField("Submit the review")

    def criterion_fields(self, criterion):
        return self[f"score_{criterion.id}"], self[f"comment_{criterion.id}"]

    def values(self, call) -> tuple[dict[int, int], dict[int, str], str, str | None]:
        """What save_review takes: scores, comments per criterion, overall comment, recommendation."""
        scores, comments = {}, {}
        for criterion in call.criteria:
            score, comment = self.criterion_fields(criterion)
            if score.data:
                scores[criterion.id] = int(score.data)
            comments[criterion.id] = comment.data or ""
        return scores, comments, self.comment.data or "", self.recommendation.data or None


def review_form_for(call, review) -> ReviewForm:
    """A score (1..scale_max) and a comment per criterion of the call, filled from the draft.

    The service keeps a score once given (it can be changed, not cleared), so "not scored
    yet" is offered only while a criterion has none; the same for the recommendation.
    """
    saved = {s.criterion_id: s for s in review.scores} if review else {}
    fields, data = {}, {"comment": review.comment if review else ""}
    for criterion in call.criteria:
        row = saved.get(criterion.id)
        has_score = row is not None and row.score is not None
        choices = ([] if has_score else [("", "Not scored yet")]) + [
            (str(n), str(n)) for n in range(1, call.scale_max + 1)]
        # Optional: an empty or missing score leaves the draft's as it is.
        fields[f"score_{criterion.id}"] = SelectField(f"Score for {criterion.name}", choices=choices,
                                                      validators=[Optional()])
        fields[f"comment_{criterion.id}"] = TextAreaField(f"Comment on {criterion.name}",
                                                          validators=[Length(max=COMMENT_MAX)])
        data[f"score_{criterion.id}"] = str(row.score) if has_score else ""
        data[f"comment_{criterion.id}"] = row.comment if row else ""
    form = type("CallReviewForm", (ReviewForm,), fields)(data=data)
    recommended = review.recommendation.value if review and review.recommendation else ""
    form.recommendation.choices = ([] if recommended else [("", "Not chosen yet")]) + list(
        RECOMMENDATION_LABELS.items())
    if not form.is_submitted():
        form.recommendation.data = recommended
    return form


class LinkForm(Form):
    organisation = StringField("Organisation", validators=[Optional(), Length(max=ORGANISATION_NAME_MAX)])
    kind = SelectField("Tie", choices=list(LINK_KIND_LABELS.items()))


class ProfileForm(FlaskForm):
    themes = MultiCheckboxField("Themes of expertise", choices=list(THEME_LABELS.items()))
    regions = MultiCheckboxField("Regions of expertise", choices=[(r, r) for r in REGIONS])
    languages = SelectMultipleField("Languages you review in (none chosen: English)")
    links = FieldList(FormField(LinkForm), max_entries=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = language_choices()

    def add_blank_links(self, count: int = 2) -> None:
        for _ in range(count):
            self.links.append_entry()

    def link_rows(self) -> list[tuple[int, str, str]]:
        """(row index, organisation name, kind) for each row with a name."""
        return [(i, entry.organisation.data.strip(), entry.kind.data)
                for i, entry in enumerate(self.links) if (entry.organisation.data or "").strip()]


class PanelForm(FlaskForm):
    reviewer_ids = MultiCheckboxField("Reviewers on the panel", coerce=int)


class AutoAssignForm(FlaskForm):
    reviewers_per_proposal = IntegerField("Reviewers per proposal",
                                          validators=[Optional(), NumberRange(min=1, max=20)])


class AssignForm(FlaskForm):
    proposal_id = SelectField("Proposal", coerce=int)
    reviewer_id = SelectField("Reviewer", coerce=int)


OBJECTIVE_LABELS = {"normalised_score": "Normalised (calibrated) score", "weighted_mean": "Weighted mean (raw)"}
SHARE_ROWS = 3


def share_key_choices() -> list[tuple[str, str]]:
    """"region:Africa" and "theme:<key>", as recommendation.parse_shares reads them."""
    return ([("", "No minimum share")] + [(f"region:{r}", f"Region: {r}") for r in REGIONS]
            + [(f"theme:{key}", f"Theme: {label}") for key, label in THEME_LABELS.items()])


class ShareForm(Form):
    key = SelectField("Region or theme", choices=share_key_choices(), default="")
    percent = DecimalField("Minimum share (%)", places=2, validators=[
        Optional(), NumberRange(min=0.01, max=100, message="A share is a percentage above 0 and at most 100.")])


class RecommendationForm(FlaskForm):
    envelope_usd = DecimalField("Envelope (USD)", places=2, validators=[
        DataRequired("Give the envelope."), NumberRange(min=0, message="The envelope is not negative.")])
    objective = SelectField("Objective", choices=[(o, OBJECTIVE_LABELS[o]) for o in OBJECTIVES])
    min_score = DecimalField("Minimum score (optional)", places=2, validators=[
        Optional(), NumberRange(min=0, max=100, message="A minimum score is between 0 and 100.")])
    shares = FieldList(FormField(ShareForm), min_entries=SHARE_ROWS, max_entries=20)

    def min_share(self) -> dict:
        """{"region:Africa": 0.25}, numbers as the API takes them (and stores them as JSON);
        the service checks keys and shares."""
        return {row.key.data: float(row.percent.data / 100) for row in self.shares if row.key.data
                and row.percent.data is not None}

    def validate_shares(self, field) -> None:
        keys = [row.key.data for row in field if row.key.data]
        for row in field:
            if row.key.data and row.percent.data is None and not row.percent.errors:
                row.percent.errors = list(row.percent.errors) + ["Give the share for this region or theme."]
            elif not row.key.data and row.percent.data is not None:
                row.key.errors = list(row.key.errors) + ["Choose a region or theme for this share."]
            elif row.key.data and keys.count(row.key.data) > 1:
                row.key.errors = list(row.key.errors) + ["Give each region or theme once."]
        if any(row.key.errors or row.percent.errors for row in field):
            raise ValidationError("Some minimum shares are not valid.")

    def share_field(self, path: str):
        """The form field of a service error path ("min_share.region:Africa", "min_score")."""
        if path.startswith("min_share."):
            key = path.removeprefix("min_share.")
            return next((row.percent for row in self.shares if row.key.data == key), None)
        return getattr(self, path, None)
