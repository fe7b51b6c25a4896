"""Which role may do what: policy as data, asked through `can()`; nothing else compares roles."""

from __future__ import annotations

from enum import StrEnum

from jiexiang.domains.accounts.enums import Role


class Permission(StrEnum):
    # Public geography a resident needs to place a report: communities, alleys, buildings, addresses.
    places_read_public = "places.read_public"
    # The full registry: grid cells and components (部件) with owners and maintainers.
    places_read = "places.read"
    places_write = "places.write"
    users_manage = "users.manage"
    # The list of units: for those who assign work to them (dispatching cases, owning proactive tasks).
    units_read = "units.read"
    cases_read = "cases.read"
    # Take, return and feed back the cases dispatched to one's own unit (接收、回退、反馈): a unit's desk.
    cases_handle = "cases.handle"
    # Callers' names and phone numbers in clear; everybody else sees them masked (138****5678).
    personal_data_read = "personal_data.read"
    intake_review = "intake.review"
    routing_manage = "routing.manage"
    # Patrol coverage: which alleys were walked, by whom (within the account's places).
    workforce_read = "workforce.read"
    # Where every field worker is now and has walked today: for those who dispatch them.
    workforce_track = "workforce.track"
    # Report one's own position (the phone apps of field staff); nobody else's positions are taken.
    positions_report = "positions.report"
    # Tracking devices and shifts.
    workforce_manage = "workforce.manage"
    # 接诉即办: contact the callers of 12345 tickets, record what was done, reply, ask to return or appeal.
    hotline_handle = "hotline.handle"
    # Decide returns, appeals and extensions; call callers back (自查回访); import the city's callbacks.
    hotline_manage = "hotline.manage"
    # Parking: the lots, spaces, permits and waiting lists within the account's places, and the map's layers.
    parking_read = "parking.read"
    # Register lots and lenders, suspend agreements, decide applications, renew, revoke and transfer permits.
    parking_manage = "parking.manage"
    # Apply for a parking permit for one's own household and follow it (residents).
    parking_apply = "parking.apply"
    # Check cars in and out of the lots of one's places, with photos as evidence (巡查: the phone page).
    parking_inspect = "parking.inspect"
    # The checklists alleys are inspected by, inspections and the companies' scores (within the account's places).
    stewardship_read = "stewardship.read"
    # Inspect an alley against a checklist on the phone (staff, alley chiefs, grid workers).
    stewardship_inspect = "stewardship.inspect"
    # Report a finding put right (the responsible company, or staff).
    stewardship_fix = "stewardship.fix"
    # Register the companies' contracts (alleys, period, fee, checklist version).
    stewardship_manage = "stewardship.manage"
    # The 街巷长 duty desk: one's alleys, today's walk, cases to verify and one's own monthly scorecard.
    stewardship_duty = "stewardship.duty"
    # Garbage sorting: stops, households' points and cards, the sorting rates (within the account's places).
    waste_read = "waste.read"
    # Stops, cards, rewards, and redemptions at the desk for any household.
    waste_manage = "waste.manage"
    # Register deposits at the truck by scanning cards (the company's collector).
    waste_collect = "waste.collect"
    # See one's own household's points and redeem them (residents).
    waste_redeem = "waste.redeem"
    # Proposals, ballots (sealed until they close) and notices.
    engagement_read = "engagement.read"
    # Put an alley council's proposal forward (街巷长 for the council, or staff).
    engagement_propose = "engagement.propose"
    # Open and close ballots, record paper votes at the desk, publish notices.
    engagement_manage = "engagement.manage"
    # Cast one's own household's vote on a ballot of its alley (residents).
    engagement_vote = "engagement.vote"


_STAFF = {
    Role.admin,
    Role.operator,
    Role.dispatcher,
    Role.handler,
    Role.alley_chief,
    Role.grid_worker,
    Role.steward,
}

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.places_read_public: frozenset(_STAFF | {Role.resident, Role.cleaner, Role.volunteer}),
    Permission.places_read: frozenset(_STAFF),
    Permission.places_write: frozenset({Role.admin}),
    Permission.users_manage: frozenset({Role.admin}),
    Permission.units_read: frozenset({Role.admin, Role.dispatcher, Role.operator}),
    Permission.cases_read: frozenset(_STAFF),
    Permission.cases_handle: frozenset({Role.handler, Role.steward}),
    Permission.personal_data_read: frozenset({Role.admin, Role.operator}),
    Permission.intake_review: frozenset({Role.admin, Role.operator}),
    Permission.routing_manage: frozenset({Role.admin, Role.dispatcher}),
    Permission.workforce_read: frozenset({Role.admin, Role.operator, Role.dispatcher, Role.alley_chief}),
    Permission.workforce_track: frozenset({Role.admin, Role.operator, Role.dispatcher}),
    Permission.workforce_manage: frozenset({Role.admin, Role.dispatcher}),
    Permission.hotline_handle: frozenset({Role.admin, Role.operator, Role.handler, Role.steward}),
    Permission.hotline_manage: frozenset({Role.admin, Role.operator}),
    Permission.parking_read: frozenset(
        {Role.admin, Role.operator, Role.dispatcher, Role.alley_chief, Role.grid_worker}
    ),
    Permission.parking_manage: frozenset({Role.admin, Role.operator}),
    Permission.parking_apply: frozenset({Role.resident}),
    Permission.parking_inspect: frozenset({Role.admin, Role.operator, Role.alley_chief, Role.grid_worker}),
    # Cleaners see and put right their company's findings; volunteers inspect the alleys they are limited to.
    Permission.stewardship_read: frozenset(_STAFF | {Role.cleaner, Role.volunteer}),
    Permission.stewardship_inspect: frozenset(
        {Role.admin, Role.operator, Role.alley_chief, Role.grid_worker, Role.volunteer}
    ),
    Permission.stewardship_fix: frozenset({Role.admin, Role.operator, Role.steward, Role.cleaner}),
    Permission.stewardship_manage: frozenset({Role.admin, Role.operator}),
    Permission.stewardship_duty: frozenset({Role.alley_chief}),
    Permission.waste_read: frozenset(_STAFF - {Role.handler}),
    Permission.waste_manage: frozenset({Role.admin, Role.operator}),
    Permission.waste_collect: frozenset({Role.admin, Role.operator, Role.steward, Role.cleaner}),
    Permission.waste_redeem: frozenset({Role.resident}),
    Permission.engagement_read: frozenset(_STAFF | {Role.resident, Role.volunteer}),
    Permission.engagement_propose: frozenset({Role.admin, Role.operator, Role.alley_chief}),
    Permission.engagement_manage: frozenset({Role.admin, Role.operator}),
    Permission.engagement_vote: frozenset({Role.resident}),
    Permission.positions_report: frozenset({Role.grid_worker, Role.alley_chief, Role.handler, Role.steward}),
}


def can(role: Role, permission: Permission) -> bool:
    return role in GRANTS[permission]


def roles_with(permission: Permission) -> frozenset[Role]:
    """The roles granted `permission`, for queries that select accounts by what they may do."""
    return GRANTS[permission]
