// PerimetreAnalysis
