"""Search across scripts: a name typed in any script or transliteration, records ranked."""

from kinlink.search.query import Reading, readings
from kinlink.search.service import RecordSearch, SearchHit, SearchQuery, SearchResult

__all__ = ["Reading", "RecordSearch", "SearchHit", "SearchQuery", "SearchResult", "readings"]
