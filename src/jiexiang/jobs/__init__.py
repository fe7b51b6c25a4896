"""Every scheduled job, as the domains declare them, and those that join what lies below them: the analytics run
(domains and the analytics library) and overdue findings becoming cases (stewardship and the intake)."""

from __future__ import annotations

from jiexiang.core.jobs import Job
from jiexiang.domains.cases import jobs as cases
from jiexiang.domains.dispatch import jobs as dispatch
from jiexiang.domains.engagement import jobs as engagement
from jiexiang.domains.parking import jobs as parking
from jiexiang.domains.waste import jobs as waste
from jiexiang.domains.workforce import jobs as workforce
from jiexiang.jobs import stewardship


def scheduled_jobs() -> list[Job]:
    from jiexiang.jobs import analytics  # heavy (pandas, statsforecast): imported when the jobs are set up

    return [
        *cases.JOBS,
        *workforce.JOBS,
        *dispatch.JOBS,
        *engagement.JOBS,
        *parking.JOBS,
        *waste.JOBS,
        *stewardship.JOBS,
        *analytics.JOBS,
    ]
