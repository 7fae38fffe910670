"""The collection record of a document, validated: when (with its time zone), by whom,
from where (a URL, a device or a person: at least one), how, in which languages, and
what the document is. Every door sends the same fields; a field that breaks a rule is
named with what is wrong (never its value)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from kinlink.domain.documents import Collection, CollectionMethod
from kinlink.errors import FieldsRefusedError

__all__ = ["CollectionIn", "check_collection"]

Short = Annotated[str, Field(min_length=1, max_length=300)]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
SKEW = dt.timedelta(minutes=5)
"""How far into the future a collection time may be (clocks differ a little)."""


class CollectionIn(BaseModel):
    """The collection record as a person gives it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    collected_at: AwareDatetime
    collected_by: Short
    method: CollectionMethod
    source_url: Annotated[str, Field(max_length=2000,
                                     pattern=r"^(https?|ftp)://[^\s]+$")] | None = None
    device: Short | None = None
    from_person: Short | None = None
    languages: Annotated[list[Language], Field(max_length=10)] = []
    description: Annotated[str, Field(max_length=5000)] = ""

    @model_validator(mode="after")
    def _from_where(self) -> CollectionIn:
        if not (self.source_url or self.device or self.from_person):
            raise ValueError("say where the document came from: a URL, a device or a "
                             "person")
        return self


_WORDS = {
    "collected_at": "give the date and time of collection with its time zone",
    "collected_by": "say who collected the document (at most 300 characters)",
    "method": "choose how the document was collected",
    "source_url": "give a web address starting with http://, https:// or ftp://",
    "device": "at most 300 characters",
    "from_person": "at most 300 characters",
    "languages": "give language codes such as uk, ru or en (at most ten)",
    "description": "at most 5,000 characters",
}


def check_collection(given: dict[str, object], now: dt.datetime) -> Collection:
    """The collection record of ``given`` (blank optional fields are left out), or
    :class:`FieldsRefusedError` naming each field at fault."""
    cleaned = {k: v for k, v in given.items() if v not in (None, "")}
    try:
        valid = CollectionIn.model_validate(cleaned)
    except ValidationError as refused:
        fields: dict[str, str] = {}
        for error in refused.errors():
            name = str(error["loc"][0]) if error["loc"] else "source"
            fields[name] = _WORDS.get(name, error["msg"].removeprefix("Value error, "))
        raise FieldsRefusedError(fields) from None
    if valid.collected_at > now + SKEW:
        raise FieldsRefusedError({"collected_at": "the collection time is in the future"})
    return Collection(
        collected_at=valid.collected_at, collected_by=valid.collected_by,
        method=valid.method, source_url=valid.source_url, device=valid.device,
        from_person=valid.from_person, languages=tuple(dict.fromkeys(valid.languages)),
        description=valid.description)
