/// A module that reads KPIs sees the engine they are computed on: the book view, the result table
/// and cell (`KPITable`, `KPIValue`) and the output writers, without a second import.
@_exported import RecoupEngine
