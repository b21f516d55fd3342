public enum TraceSchema { public static let version = 1 }
