"""Record linkage: find every record of the same child, and say why.

The engine is backend-neutral: a :class:`LinkageSpec` (blocking rules, comparisons with
levels, thresholds, vetoes; JSON with a version) is trained into a :class:`TrainedModel`
and applied by an :class:`Engine` — Splink on DuckDB by default (:func:`default_engine`;
only :mod:`kinlink.linkage.splink_engine` imports Splink or DuckDB), or Splink on Spark
for national-scale runs (:func:`spark_engine`, the optional ``kinlink[spark]``; only
:mod:`kinlink.linkage.spark_engine` imports pyspark). Records become feature rows
through :func:`side_from_records` (the name engine's keys, birth-date parts that keep
their precision, place keys), pairs are scored with :func:`score`, weighed again by the
groups children were moved in (:class:`Cohorts`), decided (``match`` / ``review``),
clustered for dedupe (:func:`clusters`) and explained field by field
(:func:`explanations`); a trained model is shown in words by :func:`model_card`.
:func:`name_evidence` says what the model makes of two names alone (levels decided in
Python exactly as the engine decides them, :mod:`kinlink.linkage.levels`): what
``kinlink names explain`` and search show.
"""

from kinlink.linkage.card import ModelCard, model_card
from kinlink.linkage.cohorts import Cohorts
from kinlink.linkage.defaults import SPEC_VERSION, default_spec
from kinlink.linkage.engine import (
    ENGINES,
    Engine,
    Scored,
    Task,
    chosen_engine,
    default_engine,
    level_for_gamma,
    spark_engine,
)
from kinlink.linkage.evaluate import Accuracy, pair_accuracy
from kinlink.linkage.explain import Explanation, FieldVerdict, explain
from kinlink.linkage.features import Display, FeatureBuilder, FeatureTable
from kinlink.linkage.model import LevelParameters, TrainedModel
from kinlink.linkage.name_evidence import NameEvidence, NameField, NameScorer, name_evidence
from kinlink.linkage.spec import LinkageSpec, Thresholds
from kinlink.linkage.tasks import (
    Crowding,
    Pairs,
    Side,
    choose_model,
    clusters,
    decisions,
    explanations,
    finish,
    packaged_model,
    score,
    side_from_records,
)

__all__ = [
    "ENGINES",
    "SPEC_VERSION",
    "Accuracy",
    "Cohorts",
    "Crowding",
    "Display",
    "Engine",
    "Explanation",
    "FeatureBuilder",
    "FeatureTable",
    "FieldVerdict",
    "LevelParameters",
    "LinkageSpec",
    "ModelCard",
    "NameEvidence",
    "NameField",
    "NameScorer",
    "Pairs",
    "Scored",
    "Side",
    "Task",
    "Thresholds",
    "TrainedModel",
    "choose_model",
    "chosen_engine",
    "clusters",
    "decisions",
    "default_engine",
    "default_spec",
    "explain",
    "explanations",
    "finish",
    "level_for_gamma",
    "model_card",
    "name_evidence",
    "packaged_model",
    "pair_accuracy",
    "score",
    "side_from_records",
    "spark_engine",
]
