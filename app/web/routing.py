"""What the write routes declare, declared once for every router: the object a path names (by
slug or by id) and the key a route needs (any editor's, or an admin's)."""

from typing import Annotated

from fastapi import Depends, Path

from app.web.auth import Editor, admin, editor
from app.web.params import SLUG_PATTERN

SlugPath = Annotated[
    str, Path(pattern=SLUG_PATTERN, max_length=160, description="The object's slug (its URL name).")
]
IdPath = Annotated[int, Path(ge=1, le=2_147_483_647, description="The object's id.")]
EditorKey = Annotated[Editor, Depends(editor)]
AdminKey = Annotated[Editor, Depends(admin)]
