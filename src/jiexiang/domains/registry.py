"""Imports every domain's models so that `Base.metadata` is complete (for Alembic and create_all)."""

from __future__ import annotations

from sqlalchemy import MetaData


def all_models_metadata() -> MetaData:
    from jiexiang.core.db import Base
    from jiexiang.domains.accounts import models as _accounts  # noqa: F401
    from jiexiang.domains.cases import models as _cases  # noqa: F401
    from jiexiang.domains.dispatch import models as _dispatch  # noqa: F401
    from jiexiang.domains.engagement import models as _engagement  # noqa: F401
    from jiexiang.domains.hotline import models as _hotline  # noqa: F401
    from jiexiang.domains.insights import models as _insights  # noqa: F401
    from jiexiang.domains.parking import models as _parking  # noqa: F401
    from jiexiang.domains.places import models as _places  # noqa: F401
    from jiexiang.domains.stewardship import models as _stewardship  # noqa: F401
    from jiexiang.domains.waste import models as _waste  # noqa: F401
    from jiexiang.domains.workforce import models as _workforce  # noqa: F401

    return Base.metadata
