import CSQLite

/// A value stored in or read from SQLite.
enum SQLiteValue: Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// A real, or NULL for NaN and infinities (no file holds a non-finite number).
    static func number(_ value: Double) -> SQLiteValue { value.isFinite ? .real(value) : .null }

    /// The value as a Double (integers converted), or nil.
    var double: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .real(let x): x
        default: nil
        }
    }

    /// The value as an integer, or nil.
    var integer: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }

    /// The value as text, or nil.
    var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let i): String(i)
        case .real(let x): String(x)
        case .text(let s): s
        }
    }
}

/// An SQLite failure: the library's message and result code, and the statement if any.
struct SQLiteError: Error, CustomStringConvertible {
    /// SQLite's message.
    let message: String
    /// SQLite's (extended) result code.
    let code: Int32
    var description: String { message }
    /// Whether the file is not a database (or is encrypted).
    var isNotADatabase: Bool { code & 0xff == SQLITE_NOTADB }
}

/// A connection to one SQLite database file: a small wrapper over the system library's C API.
/// Not shared between threads; closed when released.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    /// The file.
    let path: String

    /// Opens (creating if needed) the database at `path`, waiting up to `busyTimeout`
    /// milliseconds for other writers.
    init(path: String, busyTimeout: Int32 = 5000) throws(SQLiteError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK else {
            let error = SQLiteError(message: Self.message(handle, code), code: code)
            sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeout)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Closes the connection now (finishing any statements still open).
    func close() {
        sqlite3_close_v2(handle)
        handle = nil
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? Self.message(handle, code)
            sqlite3_free(errorMessage)
            throw SQLiteError(message: message, code: code)
        }
    }

    /// Compiles one statement.
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code) }
        return SQLiteStatement(statement: statement, database: self)
    }

    /// Runs one statement with `arguments` bound to its `?` parameters; returns every row.
    @discardableResult
    func query(_ sql: String, _ arguments: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    /// The first column of the first row of a query, or NULL.
    func scalar(_ sql: String, _ arguments: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteValue {
        try query(sql, arguments).first?.first ?? .null
    }

    /// Runs `body` in a write transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The row id of the last insert.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// An error for `code` with the connection's current message.
    func error(_ code: Int32) -> SQLiteError { SQLiteError(message: Self.message(handle, code), code: code) }

    private static func message(_ handle: OpaquePointer?, _ code: Int32) -> String {
        if let handle, let text = sqlite3_errmsg(handle) { return String(cString: text) }
        return String(cString: sqlite3_errstr(code))
    }
}

/// A compiled statement: bind, step, read columns, reset to run again.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase

    init(statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds `values` to parameters 1…n.
    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (i, value) in values.enumerated() {
            let position = Int32(i + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, position)
            case .integer(let n): code = sqlite3_bind_int64(statement, position, n)
            case .real(let x): code = sqlite3_bind_double(statement, position, x)
            case .text(let s): code = sqlite3_bind_text(statement, position, s, -1, transientDestructor)
            }
            guard code == SQLITE_OK else { throw database.error(code) }
        }
    }

    /// Advances: true when a row is available, false when done.
    func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(statement)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(code)
        }
    }

    /// Binds, runs to completion and resets, for inserts.
    func run(_ values: [SQLiteValue]) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// The current row's columns.
    var row: [SQLiteValue] {
        (0..<sqlite3_column_count(statement)).map { i in
            switch sqlite3_column_type(statement, i) {
            case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, i))
            case SQLITE_FLOAT: .real(sqlite3_column_double(statement, i))
            case SQLITE_NULL: .null
            default: .text(sqlite3_column_text(statement, i).map { String(cString: $0) } ?? "")
            }
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: the library copies bound text before the call returns.
private var transientDestructor: sqlite3_destructor_type {
    unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
