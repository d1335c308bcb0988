// The support layer below the store (did-you-mean, tracing, CSV/JSON/text output) is re-exported, so
// every module above sees one copy of it through `import RecoupStore`.
@_exported import RecoupSupport
