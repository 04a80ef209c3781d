"""Who contributed to the places of a wijk or gemeente: the rows the reach analysis counts.

Functions take a SQLAlchemy session and plain values, never a request.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Endorsement, Place

__all__ = ["CONTRIBUTION_COLUMNS", "contributions_frame"]

CONTRIBUTION_COLUMNS = ["kind", "id", "key", "home_buurt", "age_band", "buurt_code"]


def contributions_frame(
    session: Session, column: str, code: str, statuses: Sequence[str] = ("published",)
) -> pd.DataFrame:
    """The places whose ``column`` (``wijk_code`` or ``gemeente_code``) is ``code`` and
    have one of ``statuses``, and the endorsements of those places, oldest first.

    Columns :data:`CONTRIBUTION_COLUMNS`: ``kind`` ("place" or "endorsement"), ``id``,
    ``key`` (the contributor key's hash; for an endorsement without one, the hash of the
    resident key it was given with), ``home_buurt``, ``age_band`` and ``buurt_code`` (the
    buurt the place lies in).
    """
    where = (getattr(Place, column) == code, Place.status.in_(list(statuses)))
    places = select(
        Place.id, Place.contributor_key_hash, Place.home_buurt, Place.age_band,
        Place.buurt_code, Place.created_at,
    ).where(*where)  # fmt: skip
    endorsements = (
        select(
            Endorsement.id,
            func.coalesce(Endorsement.contributor_key_hash, Endorsement.resident_hash),
            Endorsement.home_buurt,
            Endorsement.age_band,
            Place.buurt_code,
            Endorsement.created_at,
        )  # fmt: skip
        .join(Place, Place.id == Endorsement.place_id)
        .where(*where)
    )
    rows = [("place", *row) for row in session.execute(places)]
    rows += [("endorsement", *row) for row in session.execute(endorsements)]
    frame = pd.DataFrame(rows, columns=[*CONTRIBUTION_COLUMNS, "created_at"])
    frame = frame.sort_values(["created_at", "kind", "id"], kind="stable")
    return frame.drop(columns="created_at").reset_index(drop=True)
