/// The four tables of DATA.md and how each column is typed and stored.
public enum LogicalType: String, Codable, Sendable {
    case id, string, date, timestamp, money, int, enumeration
}

/// How a column is held on disk and in vectors.
public enum StorageKind: String, Codable, Sendable {
    /// Variable-length bytes (unique ids).
    case text
    /// Int32 codes into a table-wide dictionary (low-cardinality strings); null = `Null.int32`.
    case dictionary
    /// Int32 account key: the row number of the account in the accounts table.
    case accountKey
    /// Int32 days since 1970-01-01; null = `Null.int32`.
    case date
    /// Int64 (timestamps in seconds UTC, money in cents, ints); null = `Null.int64`.
    case int64
    /// UInt8 code into `enumValues`.
    case enumCode

    public var physical: PhysicalType {
        switch self {
        case .text: .string
        case .dictionary, .accountKey, .date: .int32
        case .int64: .int64
        case .enumCode: .uint8
        }
    }
}

public struct ColumnSpec: Sendable, Equatable {
    public let name: String
    public let type: LogicalType
    public let required: Bool
    public let storage: StorageKind
    public let enumValues: [String]

    public init(_ name: String, _ type: LogicalType, required: Bool = true, storage: StorageKind? = nil, enumValues: [String] = []) {
        self.name = name
        self.type = type
        self.required = required
        self.enumValues = enumValues
        switch (storage, type) {
        case (let s?, _): self.storage = s
        case (nil, .id): self.storage = .text
        case (nil, .string): self.storage = .dictionary
        case (nil, .date): self.storage = .date
        case (nil, .timestamp), (nil, .money), (nil, .int): self.storage = .int64
        case (nil, .enumeration): self.storage = .enumCode
        }
    }
}

public struct TableSchema: Sendable, Equatable {
    public let name: String
    public let columns: [ColumnSpec]
    /// The column holding the row's unique id.
    public var keyColumn: String { columns[0].name }
    public var fileName: String { name + ".csv" }
    public var isEvent: Bool { name != "accounts" }

    public func column(_ name: String) -> ColumnSpec? { columns.first { $0.name == name } }
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
}

public enum Schema {
    public static let accountStatus = ["open", "disputed", "cease_contact", "bankrupt", "closed"]
    public static let channels = ["call", "sms", "email", "letter"]
    public static let directions = ["outbound", "inbound"]
    public static let outcomes = [
        "no_answer", "busy", "voicemail", "wrong_party", "right_party", "promise",
        "refused", "dispute", "delivered", "bounced", "opened", "replied",
    ]
    /// Outcomes that make a right-party contact (DATA.md).
    public static let rpcOutcomes: Set<String> = ["right_party", "promise", "refused", "dispute", "replied"]
    public static let paymentMethods = ["card", "ach", "check", "cash", "other"]

    public static let accounts = TableSchema(name: "accounts", columns: [
        ColumnSpec("account_id", .id),
        ColumnSpec("debtor_id", .id),
        ColumnSpec("portfolio", .string),
        ColumnSpec("opened_date", .date),
        ColumnSpec("due_date", .date),
        ColumnSpec("placed_date", .date),
        ColumnSpec("principal", .money),
        ColumnSpec("region", .string),
        ColumnSpec("timezone", .string),
        ColumnSpec("agent_id", .id, required: false, storage: .dictionary),
        ColumnSpec("credit_score", .int, required: false),
        ColumnSpec("status", .enumeration, enumValues: accountStatus),
        ColumnSpec("status_date", .date, required: false),
    ])

    public static let contacts = TableSchema(name: "contacts", columns: [
        ColumnSpec("contact_id", .id),
        ColumnSpec("account_id", .id, storage: .accountKey),
        ColumnSpec("ts", .timestamp),
        ColumnSpec("channel", .enumeration, enumValues: channels),
        ColumnSpec("direction", .enumeration, enumValues: directions),
        ColumnSpec("outcome", .enumeration, enumValues: outcomes),
        ColumnSpec("agent_id", .id, required: false, storage: .dictionary),
        ColumnSpec("duration_s", .int, required: false),
    ])

    public static let payments = TableSchema(name: "payments", columns: [
        ColumnSpec("payment_id", .id),
        ColumnSpec("account_id", .id, storage: .accountKey),
        ColumnSpec("paid_date", .date),
        ColumnSpec("amount", .money),
        ColumnSpec("method", .enumeration, enumValues: paymentMethods),
    ])

    public static let promises = TableSchema(name: "promises", columns: [
        ColumnSpec("promise_id", .id),
        ColumnSpec("account_id", .id, storage: .accountKey),
        ColumnSpec("created_date", .date),
        ColumnSpec("due_date", .date),
        ColumnSpec("amount", .money),
    ])

    /// In import order: accounts first so events can reference them.
    public static let tables = [accounts, contacts, payments, promises]

    public static func table(_ name: String) -> TableSchema? { tables.first { $0.name == name } }
}
