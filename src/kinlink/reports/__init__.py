"""Reports: counts and statistics over the records one agency sees."""

from kinlink.reports.dashboard import Dashboard, DashboardReport, oblast_of

__all__ = ["Dashboard", "DashboardReport", "oblast_of"]
