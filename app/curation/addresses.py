"""Addresses that outlive their objects: a merged claim's slug redirects (308) to the claim it
went into; a deleted object's slug answers 410 Gone until it is restored."""

from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy import bindparam, select
from starlette.responses import Response

from app.db.reads import SQL, Row
from app.models import Change, Claim, ClaimRedirect, Tombstone
from app.web.errors import Gone, Moved, NotFound, problem_response

_MERGED_INTO = SQL(
    select(Claim.slug)
    .join(ClaimRedirect, ClaimRedirect.claim_id == Claim.id)
    .where(ClaimRedirect.old_slug == bindparam("slug"))
)
# The latest deletion of the object with a slug: its id, and the deletion's type, id and slug.
_DELETED = SQL(
    select(
        Tombstone.object_id.label("id"),
        Change.object_type.label("with_type"),
        Change.object_id.label("with_id"),
        Change.object_slug.label("with_slug"),
    )
    .join(Change, Change.id == Tombstone.change_id)
    .where(Tombstone.object_type == bindparam("kind"), Tombstone.slug == bindparam("slug"))
    .order_by(Tombstone.id.desc())
    .limit(1)
)


# What a deletion removed, as its change records it: the object's type, id and slug.
Deletion = tuple[str, int, str | None]


def deletion_of(object_type: str) -> SQL:
    """The deletion that removed the OBJECT_TYPE with id :id (its type, id and slug), if any."""
    return SQL(
        select(Change.object_type, Change.object_id, Change.object_slug)
        .join(Tombstone, Tombstone.change_id == Change.id)
        .where(Tombstone.object_type == object_type, Tombstone.object_id == bindparam("id"))
        .order_by(Tombstone.id.desc())
        .limit(1)
    )


def as_deletion(row: Row) -> Deletion:
    """A `deletion_of` row as a Deletion."""
    return row["object_type"], row["object_id"], row["object_slug"]


def went_with(object_type: str, object_id: int, deletion: Deletion) -> str | None:
    """What the object went with when DELETION removed another ("the statement 'x'"), or None
    when it was the object deleted."""
    kind, id_, slug = deletion
    if (kind, id_) == (object_type, object_id):
        return None
    return f"the {kind} '{slug}'" if slug else f"the {kind} {id_}"


def gone(object_type: str, object_id: int, name: str, deletion: Deletion) -> Gone:
    """410 for the OBJECT_TYPE called NAME (its quoted slug, or its id) that DELETION removed."""
    whole = went_with(object_type, object_id, deletion)
    if whole is None:
        return Gone(f"The {object_type} {name} was deleted; an admin can restore it.")
    return Gone(f"The {object_type} {name} was deleted with {whole}; an admin can restore that.")


def moved_url(request: Request, old: str, new: str) -> str:
    """The request's URL with the claim slug OLD, in its path or its `claim` filter, as NEW."""
    path = request.url.path.replace(f"/claims/{old}", f"/claims/{new}", 1)
    query = [
        (k, new if k == "claim" and v == old else v) for k, v in request.query_params.multi_items()
    ]
    return str(request.url.replace(path=path, query=urlencode(query)))


async def not_found(request: Request, exc: Exception) -> Response:
    """The handler for NotFound: a redirect for a merged claim, 410 for a deleted object.
    (Async though it awaits nothing: Starlette runs a plain handler in a worker thread.)"""
    assert isinstance(exc, NotFound)
    reads = request.app.state.reads
    if exc.kind == "claim" and exc.slug is not None:
        merged = reads.one(_MERGED_INTO, {"slug": exc.slug})
        if merged is not None:
            into = merged["slug"]
            moved = Moved(
                f"The claim '{exc.slug}' was merged into '{into}'.",
                moved_url(request, exc.slug, into),
            )
            return problem_response(moved, request.url.path)
    if exc.kind is not None and exc.slug is not None:
        grave = reads.one(_DELETED, {"kind": exc.kind, "slug": exc.slug})
        if grave is not None:
            deletion = (grave["with_type"], grave["with_id"], grave["with_slug"])
            if went_with(exc.kind, grave["id"], deletion) is None:
                problem = Gone(
                    f"The {exc.kind} '{exc.slug}' was deleted; an admin can restore it "
                    f"(its history shows what it was)."
                )
            else:
                problem = gone(exc.kind, grave["id"], f"'{exc.slug}'", deletion)
            return problem_response(problem, request.url.path)
    return problem_response(exc, request.url.path)
