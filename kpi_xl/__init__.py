"""kpi-xl: spreadsheet-native monthly KPI performance appraisal (绩效考核)."""

__version__ = "0.1.0"
