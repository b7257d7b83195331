"""The simulated year (`kpi-xl demo`) and the rules tour (`kpi-xl rules-tour`)."""
