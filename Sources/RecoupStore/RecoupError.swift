/// An error a person can act on: one readable line, optional details, and the
/// BSD sysexits code the command line exits with (CLI.md).
public struct RecoupError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Int32, Sendable {
        case usage = 64, dataError = 65, noInput = 66, unavailable = 69
        case `internal` = 70, cannotCreate = 73, tempFailure = 75
    }

    public let kind: Kind
    public let message: String
    public let details: String?

    public init(_ kind: Kind, _ message: String, details: String? = nil) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }
}
