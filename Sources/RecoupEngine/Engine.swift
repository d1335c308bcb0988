public enum RecoupEngineVersion { public static let value = 1 }
