"""Remote candidates: the pairs a linkage unit returned, kept as records another party
holds that may be the same child as ours, and people's decisions on them.

``kinlink pprl link`` (:mod:`kinlink.usecases.pprl`) gives a pairs file of record ids:
ours and the other party's. A case worker imports it for one of the agency's own lists
(:func:`import_pairs`): every row is checked first, and one row that cannot be used (a
record id not in the list, a probability that is not one) refuses the file, so nothing
is half-written. Each pair becomes a remote candidate of our record — the party's name
and its opaque id, never anything about its child, which kinlink does not have.

Need to know (:mod:`kinlink.usecases.scope`): a remote candidate belongs to the agency
that owns our list (a list shared with another agency does not share its remote
candidates); another agency asking for one by id is answered as if it did not exist, and
the refusal is audited. Importing, reading (as part of the child's file) and deciding
are audited.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.permissions import Action, require
from kinlink.domain.remote import RemoteCandidate
from kinlink.errors import InputRefusedError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.pprl.pairs import Side, problem, read_pairs, refuse
from kinlink.storage import Session, Store
from kinlink.storage.remote_candidates import RemoteCandidateRepository
from kinlink.usecases.scope import Reach, within_reach

__all__ = ["MAX_PARTY", "PairsImported", "decide_remote", "import_pairs",
           "remote_candidates_of", "remote_candidates_of_child"]

MAX_PARTY = 100
"""At most this many characters in a party's name."""

BAD_PARTY = Wording("pprl.bad_party", N_(
    "name the party that holds the other records (1 to {limit} characters, no control "
    "characters)"))
MAX_NOTE = 2000
"""At most this many characters in a decision's note."""
NOTE_TOO_LONG = Wording("pprl.note_too_long", N_("a note has at most {limit} characters"))
DECIDE_REMOTE = Wording("pprl.decide_remote", N_("decide same, different or unsure"))


@dataclass(frozen=True)
class PairsImported:
    """What importing a pairs file did: pairs read, remote candidates new and updated."""

    pairs: int
    new: int
    updated: int
    party: str
    source_id: int


def _party(text: str) -> str:
    party = " ".join(text.split())
    if not party or len(party) > MAX_PARTY or any(
            unicodedata.category(c).startswith("C") for c in party):
        raise InputRefusedError(BAD_PARTY(limit=str(MAX_PARTY)), "bad_party", field="party")
    return party


def _own_list(repo: RemoteCandidateRepository, reach: Reach, source_id: int) -> int:
    agency = repo.source_agency(source_id)
    if agency is None or not reach.owns(agency):
        raise OutOfReachError("source", source_id)
    return agency


def import_pairs(store: Store, actor: Actor, name: str, data: bytes, *, party: str,
                 source_id: int, side: Side = Side.LEFT) -> PairsImported:
    """Keep the pairs of the file ``data`` (called ``name``) as remote candidates of the
    records of the list ``source_id`` (one the actor's agency owns), held by ``party``:
    all of them, or none when a row cannot be used (:class:`PairsRefusedError` with each
    row's problem). A pair already kept gets the new score and probability."""
    require(actor, Action.IMPORTS_CREATE)
    who = _party(party)
    pairs, problems = read_pairs(name, data, side)
    with within_reach(store, actor) as (session, reach):
        repo = RemoteCandidateRepository(session)
        agency = _own_list(repo, reach, source_id)
        pks = repo.record_pks(source_id, (p.our_id for p in pairs))
        problems += [problem(p.line, "unknown_record") for p in pairs if p.our_id not in pks]
        if problems:
            raise refuse(name, problems)
        new = 0
        for pair in pairs:
            _, created = repo.keep(agency_id=agency, source_id=source_id,
                                   record_pk=pks[pair.our_id], party=who,
                                   remote_ref=pair.remote_ref, score=pair.score,
                                   probability=pair.probability, actor=actor.name)
            new += created
        append_event(session, AuditEvent(actor.name, AuditAction.REMOTE_PAIRS_IMPORTED,
                                         "source", str(source_id), {
                                             "pairs": len(pairs), "new": new,
                                             "updated": len(pairs) - new}))
    return PairsImported(len(pairs), new, len(pairs) - new, who, source_id)


def remote_candidates_of(session: Session, reach: Reach, record_pks: list[int]
                         ) -> list[RemoteCandidate]:
    """The remote candidates of a child's records that the actor's agency owns, most
    probable first (not audited: the caller's read of the child is)."""
    found = RemoteCandidateRepository(session).of_records(record_pks, reach.agency_id)
    return [c for c in found if reach.sees(c.source_id)]


def remote_candidates_of_child(store: Store, actor: Actor, record_pks: list[int]
                               ) -> list[RemoteCandidate]:
    """:func:`remote_candidates_of` in a transaction of its own."""
    require(actor, Action.CHILD_VIEW)
    with within_reach(store, actor) as (session, reach):
        return remote_candidates_of(session, reach, record_pks)


def decide_remote(store: Store, actor: Actor, candidate_id: int, verdict: DecisionVerdict,
                  note: str | None = None) -> RemoteCandidate:
    """A person decides whether our record and the other party's are the same child
    (append-only: an earlier decision stays in history). Another agency's candidate is
    answered as missing."""
    require(actor, Action.REVIEW_DECIDE)
    if verdict is DecisionVerdict.NONE:
        raise InputRefusedError(DECIDE_REMOTE(), "bad_verdict", field="verdict")
    if note is not None and len(note) > MAX_NOTE:
        raise InputRefusedError(NOTE_TOO_LONG(limit=str(MAX_NOTE)), "note_too_long",
                                field="note")
    with within_reach(store, actor) as (session, reach):
        repo = RemoteCandidateRepository(session)
        found = repo.get(candidate_id, reach.agency_id)
        if found is None or not reach.sees(found.source_id):
            raise OutOfReachError("remote_candidate", candidate_id)
        decision = repo.decide(candidate_id, verdict, actor.name, note)
        append_event(session, AuditEvent(actor.name, AuditAction.REMOTE_DECISION_RECORDED,
                                         "remote_candidate", str(candidate_id), {
                                             "verdict": verdict.value,
                                             "decision_id": decision,
                                             "record": found.record_pk}))
    return replace(found, verdict=verdict, decided_by=actor.name)
