// PerimetreReport
