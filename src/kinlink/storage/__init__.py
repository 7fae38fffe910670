"""Storage: the only package that imports SQLAlchemy. Tables, engine, migrations."""

from sqlalchemy.orm import Session

# Every module that defines tables, so Base.metadata knows them all (foreign keys cross
# modules: records → sources → agencies).
from kinlink.storage import casework_tables as _casework_tables  # noqa: F401
from kinlink.storage import documents as _documents  # noqa: F401
from kinlink.storage import linkage_tables as _linkage_tables  # noqa: F401
from kinlink.storage import mediation_tables as _mediation_tables  # noqa: F401
from kinlink.storage import mentions as _mentions  # noqa: F401
from kinlink.storage import photographs as _photographs  # noqa: F401
from kinlink.storage import remote_tables as _remote_tables  # noqa: F401
from kinlink.storage import retention_tables as _retention_tables  # noqa: F401
from kinlink.storage import review_tables as _review_tables  # noqa: F401
from kinlink.storage import statistics as _statistics  # noqa: F401
from kinlink.storage import web_tables as _web_tables  # noqa: F401
from kinlink.storage.store import Store, current_revision, head_revision, open_store, upgrade

__all__ = ["Session", "Store", "current_revision", "head_revision", "open_store", "upgrade"]
