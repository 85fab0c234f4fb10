from pydantic import Field

from app.params import Paged, Params
from app.statements.schemas import AppearanceRead, RowId, StatementBrief


class AppearanceDetail(AppearanceRead):
    """One appearance: where a source reports a statement, with the statement it reports."""

    statement: StatementBrief


# -- parameters ---------------------------------------------------------------------------------

APPEARANCE_ID = Field(description="The appearance's id.", examples=[22])


class AppearancePath(Params):
    PATH = ("id",)
    id: RowId = APPEARANCE_ID


class AppearanceHistoryParams(Paged):
    PATH = ("id",)
    id: RowId = APPEARANCE_ID
