"""Regular monitoring (docs/monitoring.md): revision comparison (`compare`, pure frames),
its store stage (`stage`), and alerts on each build (`alerts`)."""
