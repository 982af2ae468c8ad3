"""The sets of roles that rules name together (DESIGN.md "Who uses it")."""

# The fund's managers: they see everything (DESIGN.md's visibility table).
STAFF_ROLES = ("secretariat", "admin")
# Who reads rankings and recommendations: staff and the donors' representatives.
RANKING_ROLES = (*STAFF_ROLES, "donor")
