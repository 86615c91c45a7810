// PerimetreData
