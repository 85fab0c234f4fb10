"""Every table of sayso, one module each; importing this package registers them all."""

from app.models.actor import Actor
from app.models.actor_alias import ActorAlias, alias_key
from app.models.api_key import ApiKey
from app.models.appearance import Appearance
from app.models.base import Base
from app.models.change import Change
from app.models.claim import Claim
from app.models.claim_redirect import ClaimRedirect
from app.models.contradiction import Contradiction
from app.models.desk_session import DeskSession
from app.models.retired_id import RetiredId
from app.models.source import Source
from app.models.source_citation import SourceCitation
from app.models.source_date import SourceDate
from app.models.source_furniture import SourceFurniture
from app.models.statement import Statement
from app.models.tombstone import Tombstone

__all__ = [
    "Actor",
    "ActorAlias",
    "ApiKey",
    "Appearance",
    "Base",
    "Change",
    "Claim",
    "ClaimRedirect",
    "Contradiction",
    "DeskSession",
    "RetiredId",
    "Source",
    "SourceCitation",
    "SourceDate",
    "SourceFurniture",
    "Statement",
    "Tombstone",
    "alias_key",
]
