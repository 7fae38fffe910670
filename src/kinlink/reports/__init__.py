"""Reports: counts and statistics over the records one agency sees, and how the linkage
model's scores hold against people's decisions."""

from kinlink.reports.dashboard import Dashboard, DashboardReport, oblast_of
from kinlink.reports.scores import ScoreCheck, check_scores

__all__ = ["Dashboard", "DashboardReport", "ScoreCheck", "check_scores", "oblast_of"]
