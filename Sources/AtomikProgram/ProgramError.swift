/// Where in an input something was found: a file with line and column (text),
/// or a byte offset (binary streams).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// Set for binary inputs, which have no lines.
    public var byteOffset: Int?

    public init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column; byteOffset = nil
    }

    public init(file: String, byteOffset: Int) {
        self.file = file; line = 0; column = 0; self.byteOffset = byteOffset
    }

    public var description: String {
        if let byteOffset { return "\(file): byte \(byteOffset)" }
        return "\(file):\(line):\(column)"
    }
}

/// Bad input: a message in the compiler style `file:line:column: error: ...`.
public struct ProgramError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message; self.location = location
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
