"""Request parameters: one Pydantic model per endpoint, parsed in one step, documented from
the same model.

FastAPI's per-parameter dependency solving cost more per request than this API's indexed
queries, so read endpoints take the request and parse their parameters with one compiled
model validation; `openapi()` writes the same model into the OpenAPI document.
"""

from typing import Annotated, Any, ClassVar, ParamSpec, Self

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.web.errors import InvalidParameter
from app.web.pagination import PageParams

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# NUL cannot be stored or compared in PostgreSQL text; refuse it up front on both databases.
TEXT_PATTERN = r"^[^\x00]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=160)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=TEXT_PATTERN)]

P = ParamSpec("P")


def slug_field(description: str, example: str) -> Any:
    """A slug parameter, with an example from the seed data."""
    return Field(None, description=description, examples=[example])


STANCE = Field(None, description="Only statements with this stance.", examples=["denies"])
UNNAMED = Field(
    None,
    description="true: only statements by unnamed sources; false: only by named actors.",
    examples=[True],
)
INCLUDE_AFFILIATED = Field(
    False,
    description="Also statements by actors affiliated with this one, directly or through others.",
)
KIND = Field(None, description="Only contradictions of this kind.", examples=["misreport"])


class Params(BaseModel):
    """The parameters of one endpoint: path parameters are named in PATH, the rest are query."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    PATH: ClassVar[tuple[str, ...]] = ()
    # Query parameters that may be given more than once (`?claim=a&claim=b`): lists.
    LISTS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def parse(cls, request: Request) -> Self:
        """The parameters of REQUEST, or a 422 naming each one that is wrong."""
        data: dict[str, Any] = dict(request.query_params)
        for name in cls.LISTS:
            if name in data:
                data[name] = request.query_params.getlist(name)
        data.update(request.path_params)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise RequestValidationError(
                [
                    {
                        **e,
                        "loc": ("path" if e["loc"][0] in cls.PATH else "query", *e["loc"]),
                    }
                    for e in exc.errors(include_url=False, include_context=False)
                ]
            ) from exc

    @classmethod
    def openapi(cls) -> dict[str, Any]:
        """The OpenAPI `parameters` of the endpoint, for FastAPI's `openapi_extra`."""
        schema = cls.model_json_schema()
        defs = schema.get("$defs", {})
        parameters = []
        for name, prop in schema["properties"].items():
            prop = _inline(prop, defs)
            description = prop.pop("description", None)
            examples = prop.pop("examples", None)
            prop.pop("title", None)
            prop.pop("default", None)
            # Optional parameters are documented by their type alone (no JSON null in a URL).
            if "anyOf" in prop:
                options = [p for p in prop["anyOf"] if p.get("type") != "null"]
                prop = options[0] if len(options) == 1 else {"anyOf": options}
            parameter: dict[str, Any] = {
                "name": name,
                "in": "path" if name in cls.PATH else "query",
                "required": name in cls.PATH or cls.model_fields[name].is_required(),
                "schema": prop,
                "description": description,
            }
            if examples:
                parameter["examples"] = {"seed data": {"value": examples[0]}}
            parameters.append(parameter)
        # Path parameters first, as a reader of the URL meets them.
        return {"parameters": sorted(parameters, key=lambda p: p["in"] != "path")}


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """SCHEMA with its $refs to DEFS replaced by the definitions themselves."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def _changes_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """What a Changes model's JSON schema must say that its types do not: at least one field,
    and no null for the fields not_null names (each is optional, so typed `X | None`)."""
    schema["minProperties"] = 1
    properties = schema.get("properties", {})
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if getattr(decorator.func, "not_null", False):
            for name in decorator.info.fields:
                field = properties.get(name, {})
                kept = [s for s in field.get("anyOf", []) if s.get("type") != "null"]
                if len(kept) == 1 and "anyOf" in field:
                    del field["anyOf"]
                    field.pop("default", None)
                    properties[name] = {**kept[0], **field}


class Changes(BaseModel):
    """The body of an update (PATCH): the fields to change, at least one; a field left out
    stays as it is, and null clears a field that may be empty."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Here rather than as json_schema_extra, which a subclass's own (its examples) replaces.
        schema = handler(core_schema)
        _changes_schema(handler.resolve_ref_schema(schema), cls)
        return schema

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give at least one field")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


def not_null(*names: str) -> Any:
    """A validator for a Changes model: FIELDS may be left out, but not set to null."""

    def check(value: Any, info: ValidationInfo) -> Any:
        if value is None:
            raise ValueError(f"{info.field_name} cannot be null (leave it out to keep it)")
        return value

    check.not_null = True  # type: ignore[attr-defined]  # read by _changes_schema
    return field_validator(*names)(check)


class Paged(Params):
    """Every list endpoint pages with a cursor."""

    limit: int | None = Field(
        None, ge=1, le=500, description="Rows per page (default 50, at most 500).", examples=[20]
    )
    cursor: str | None = Field(
        None,
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Opaque cursor from the previous page's `next_cursor`.",
    )

    # The app's own page size (Settings.page_size), for a request that gives no limit.
    _page_size: int = PrivateAttr(50)

    @classmethod
    def parse(cls, request: Request) -> Self:
        found = super().parse(request)
        found._page_size = request.app.state.settings.page_size
        return found

    @property
    def paging(self) -> PageParams:
        return PageParams(self.limit or self._page_size, self.cursor)


class Counted(Paged):
    """A list that can also say how many rows it has in all, where counting them is cheap: a
    count reads every row (or index entry) the list has, which a page never does, and reads
    run inline, on the event loop (app/web/direct_reads.py). docs/api.md gives the figures."""

    count: bool = Field(
        False,
        description="true: the answer also gives `total`, how many rows the whole list has "
        "(where counting them is cheap: docs/api.md says which lists, and what it costs).",
    )

    def too_costly_to_count(self) -> str | None:
        """Why this list is not counted with these filters (None: it is)."""
        return None

    @property
    def paging(self) -> PageParams:
        if self.count and (why := self.too_costly_to_count()):
            message = f"not counted {why}"
            raise InvalidParameter(
                f"query 'count': {message}",
                errors=[{"location": "query", "field": "count", "message": message}],
            )
        return PageParams(self.limit or self._page_size, self.cursor, self.count)
