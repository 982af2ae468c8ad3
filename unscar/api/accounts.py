"""API: registration, tokens, the current user, staff users and organisation members."""
from flask import g
from flask_babel import gettext as _

from ..accounts import admin, services
from ..accounts.models import Organisation
from ..accounts.admin_schemas import (MePatchSchema, UserListArgsSchema, UserListItemSchema, UserPageSchema,
                                      UserPatchSchema)
from ..accounts.schemas import (CreateUserSchema, MemberInSchema, MemberSchema, PasswordResetRequestSchema,
                                RegisteredSchema, RegisterSchema, TokenRequestSchema, TokenSchema,
                                UserSchema)
from ..errors import NotFound
from ..extensions import db
from .auth import Unauthorized, current_api_user, roles_required, token_required
from .blueprint import bp
from .io import load, load_args, paginated
from .openapi import documented


@bp.post("/register")
@documented("Register an organisation with its first user (role applicant)", body=RegisterSchema,
            response=RegisteredSchema, status=201, errors=(409, 429))
def register():
    data = load(RegisterSchema())
    org, user = data["organisation"], data["user"]
    organisation, user = services.register_organisation(
        org["name"], org["type"], org["country"], org["registration_number"],
        user["email"], user["password"], user["name"])
    db.session.commit()
    return RegisteredSchema().dump({"organisation": organisation, "user": user}), 201


@bp.post("/tokens")
@documented("Exchange e-mail and password for a bearer token valid 24 hours", body=TokenRequestSchema,
            response=TokenSchema, status=201, errors=(401, 429))
def create_token():
    data = load(TokenRequestSchema())
    try:
        user = services.authenticate(data["email"], data["password"])
    except services.InvalidCredentials:
        raise Unauthorized(_("Wrong e-mail or password.")) from None
    token, record = services.issue_token(user)
    db.session.commit()
    return TokenSchema().dump({"token": token, "expires_at": record.expires_at}), 201


@bp.delete("/tokens/current")
@token_required
@documented("Revoke the token this request was made with", status=204)
def revoke_current_token():
    services.revoke_token(g.api_token)
    db.session.commit()
    return "", 204


@bp.get("/me")
@token_required
@documented("The signed-in user", response=UserSchema)
def me():
    return UserSchema().dump(current_api_user())


@bp.post("/users")
@roles_required("admin")
@documented("Create a user with any roles", body=CreateUserSchema, response=UserSchema, status=201,
            errors=(409,))
def create_user():
    data = load(CreateUserSchema())
    user = services.create_user(current_api_user(), data["email"], data["name"], data["password"],
                                data["roles"], data["organisation_id"], data["donor_id"])
    db.session.commit()
    return UserSchema().dump(user), 201


@bp.patch("/me")
@token_required
@documented("Change your own name, language (ISO 639-1) or time zone (IANA; null: the browser's)",
            body=MePatchSchema, response=UserSchema)
def update_me():
    changes = load(MePatchSchema())
    user = admin.update_me(current_api_user(), changes)
    db.session.commit()
    return UserSchema().dump(user)


@bp.get("/users")
@roles_required("admin")
@documented("Users, filtered by `q` (in the e-mail or name), `role` and `active`", query=UserListArgsSchema,
            response=UserPageSchema, description="Order: by id.")
def list_users():
    args = load_args(UserListArgsSchema())
    stmt = admin.users_query(current_api_user(), args["q"], args["role"], args["active"])
    return paginated(stmt, UserListItemSchema(), args)


@bp.patch("/users/<int:user_id>")
@roles_required("admin")
@documented("Change a user's roles or (de)activate it; deactivating ends its sessions and tokens at once",
            body=UserPatchSchema, response=UserListItemSchema, errors=(404,))
def update_user(user_id):
    changes = load(UserPatchSchema())
    user = admin.update_user(current_api_user(), admin.get_user(current_api_user(), user_id),
                             changes.get("roles"), changes.get("active"))
    db.session.commit()
    return UserListItemSchema().dump(user)


@bp.post("/users/<int:user_id>/password-reset")
@roles_required("admin")
@documented("Mail the user a password reset link (never returned)", status=202, errors=(404, 422, 429))
def admin_password_reset(user_id):
    admin.send_password_reset(current_api_user(), admin.get_user(current_api_user(), user_id))
    db.session.commit()
    return "", 202


def _own_organisation(organisation_id: int) -> Organisation:
    user = current_api_user()
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or user.organisation_id != organisation.id:
        raise NotFound(_("No such organisation."))
    return organisation


@bp.post("/organisations/<int:organisation_id>/members")
@roles_required("applicant")
@documented("Invite a colleague; they are mailed a link to set a password", body=MemberInSchema,
            response=MemberSchema, status=201, errors=(403, 404, 409),
            description="Only the organisation's first user (its earliest active member) invites colleagues.")
def invite_member(organisation_id):
    organisation = _own_organisation(organisation_id)
    data = load(MemberInSchema())
    user = services.invite_member(current_api_user(), organisation, data["email"], data["name"],
                                  data["language"])
    db.session.commit()
    return MemberSchema().dump(user), 201


@bp.delete("/organisations/<int:organisation_id>/members/<int:user_id>")
@roles_required("applicant")
@documented("Remove a colleague from the organisation; never the last member", status=204,
            errors=(403, 404, 409), description="The organisation's first user removes colleagues; any member "
            "may remove themselves (leave).")
def remove_member(organisation_id, user_id):
    organisation = _own_organisation(organisation_id)
    services.remove_member(current_api_user(), organisation, user_id)
    db.session.commit()
    return "", 204


@bp.post("/password-reset")
@documented("Mail a time-limited password reset link (202 whether or not the address exists)",
            body=PasswordResetRequestSchema, status=202, errors=(429,))
def password_reset():
    data = load(PasswordResetRequestSchema())
    services.request_password_reset(data["email"])
    db.session.commit()
    return "", 202
