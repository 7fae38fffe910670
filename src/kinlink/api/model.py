"""``/api/v1/model``: the linkage model in words, and its scores against decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kinlink.accounts import SessionView
from kinlink.api import schemas
from kinlink.api.context import Services, services
from kinlink.api.deps import allow
from kinlink.domain.permissions import Action
from kinlink.linkage import default_spec, model_card
from kinlink.matching import model_in_use, origin_words
from kinlink.reports import check_scores

__all__ = ["router"]

router = APIRouter(tags=["linkage model"])


@router.get("/model", response_model=schemas.ModelOut)
def model(svc: Annotated[Services, Depends(services)],
          _view: Annotated[SessionView, Depends(allow(Action.MODEL_VIEW))]
          ) -> schemas.ModelOut:
    """The model the store's pairs are scored with: every field's outcomes with m, u
    and weight, the prior, the thresholds, vetoes and blocking rules; and per band of
    match probability the pairs and how people decided them (counts only)."""
    trained, kept = model_in_use(svc.store)
    card = model_card(default_spec(), trained)
    return schemas.ModelOut(origin=origin_words(kept), card=card.as_dict(),
                            trained_by=kept.trained_by if kept else None,
                            trained_at=kept.trained_at if kept else None,
                            check=check_scores(svc.store).as_dict())
